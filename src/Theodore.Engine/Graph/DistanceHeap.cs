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

    /// <summary>
    /// Keeps (distance, slot) among the best <paramref name="capacity"/> offered so far: pushed while the heap has
    /// room, else in place of the worst when nearer than it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Offer(float distance, int slot, int capacity)
    {
        if (_count < capacity)
        {
            Push(distance, slot);
        }
        else if (capacity > 0 && distance < _distances[0])
        {
            Pop();
            Push(distance, slot);
        }
    }

    /// <summary>Copies the heap's entries, in heap order, to the arrays from <paramref name="at"/>; returns how many.</summary>
    public int CopyTo(float[] distances, int[] slots, int at)
    {
        Array.Copy(_distances, 0, distances, at, _count);
        Array.Copy(_slots, 0, slots, at, _count);
        return _count;
    }

    private void Grow()
    {
        Array.Resize(ref _distances, _distances.Length * 2);
        Array.Resize(ref _slots, _slots.Length * 2);
    }
}
