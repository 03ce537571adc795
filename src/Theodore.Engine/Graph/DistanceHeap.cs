using System.Runtime.CompilerServices;

namespace Theodore.Engine.Graph;

/// <summary>
/// A binary max-heap of (distance, slot) on reusable arrays. The candidate queue stores negated
/// distances to act as a min-heap, like hnswlib.
/// </summary>
internal sealed class DistanceHeap
{
    private float[] _distances = new float[64];
    private int[] _slots = new int[64];
    private int _count;

    public int Count => _count;

    public float TopDistance => _distances[0];

    public int TopSlot => _slots[0];

    public void Clear() => _count = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(float distance, int slot)
    {
        if (_count == _distances.Length)
        {
            Grow();
        }

        var d = _distances;
        var s = _slots;
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            float pd = d[parent];
            if (pd >= distance)
            {
                break;
            }

            d[i] = pd;
            s[i] = s[parent];
            i = parent;
        }

        d[i] = distance;
        s[i] = slot;
    }

    public void Pop()
    {
        int last = --_count;
        if (last == 0)
        {
            return;
        }

        var d = _distances;
        var s = _slots;
        float distance = d[last];
        int slot = s[last];
        int i = 0;
        while (true)
        {
            int child = (2 * i) + 1;
            if (child >= last)
            {
                break;
            }

            if (child + 1 < last && d[child + 1] > d[child])
            {
                child++;
            }

            if (d[child] <= distance)
            {
                break;
            }

            d[i] = d[child];
            s[i] = s[child];
            i = child;
        }

        d[i] = distance;
        s[i] = slot;
    }

    private void Grow()
    {
        Array.Resize(ref _distances, _distances.Length * 2);
        Array.Resize(ref _slots, _slots.Length * 2);
    }
}
