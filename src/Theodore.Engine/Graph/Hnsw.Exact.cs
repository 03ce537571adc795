using System.Runtime.CompilerServices;
using Theodore.Engine.Distances;

namespace Theodore.Engine.Graph;

// Exact scans: the whole index or a candidate list, and the unlinked tail merged into a graph walk's results.
internal static unsafe partial class Hnsw<TMetric>
    where TMetric : struct, IDistance
{
    /// <summary>
    /// Exact k nearest over all slots, or over <paramref name="candidates"/> when given (duplicates
    /// allowed). Ties are broken by key, so the answer is deterministic. Leaves results in ctx.Sorted*. Throws
    /// <see cref="OperationCanceledException"/> once <paramref name="cancellationToken"/> is cancelled (read every
    /// <see cref="ScanCheckMask"/> + 1 slots).
    /// </summary>
    public static int Exact(IndexState st, float* q, int k, in SlotFilter filter, List<int>? candidates, SearchContext ctx, CancellationToken cancellationToken = default)
    {
        ctx.EnsureSorted(k + 1);
        var distances = ctx.SelectedDistances;
        var slots = ctx.SelectedSlots;
        int count = 0;
        int stride = st.Stride;
        if (candidates is null)
        {
            int n = st.Count;
            for (int slot = 0; slot < n; slot++)
            {
                if ((slot & ScanCheckMask) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                Consider(st, q, slot, k, filter, distances, slots, ref count, stride, ctx);
            }
        }
        else
        {
            ctx.NewVisit(st.Capacity);
            var tags = ctx.VisitedTags;
            byte generation = ctx.Generation;
            // Candidates are scattered over the arena: fetch a few vectors ahead of the distance loop.
            const int Ahead = 3;
            int total = candidates.Count;
            for (int i = 0; i < total; i++)
            {
                if ((i & ScanCheckMask) == 0)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                }

                if (i + Ahead < total)
                {
                    PrefetchVector(st, candidates[i + Ahead]);
                }

                int slot = candidates[i];
                if ((uint)slot < (uint)tags.Length && tags[slot] != generation)
                {
                    tags[slot] = generation;
                    Consider(st, q, slot, k, filter, distances, slots, ref count, stride, ctx);
                }
            }
        }

        return DrainExact(st, distances, slots, count, ctx);
    }

    /// <summary>
    /// Folds the slots [<paramref name="from"/>, <paramref name="to"/>) that are not linked yet into the <paramref name="found"/>
    /// graph results in ctx.Sorted*: those slots are scanned exactly (a graph hit among them is dropped, the scan
    /// counts it once). Leaves the best k in ctx.Sorted*, ascending, and returns how many.
    /// </summary>
    public static int MergeUnlinked(IndexState st, float* q, int k, int found, int from, int to, in SlotFilter filter, SearchContext ctx, CancellationToken cancellationToken = default)
    {
        ctx.EnsureSorted(k + 1);
        var distances = ctx.SelectedDistances;
        var slots = ctx.SelectedSlots;
        int count = 0;
        for (int i = 0; i < found; i++)
        {
            int slot = ctx.SortedSlots[i];
            if (slot < from || slot >= to)
            {
                PushExact(st, distances, slots, ref count, ctx.SortedDistances[i], slot);
            }
        }

        int stride = st.Stride;
        for (int slot = from; slot < to; slot++)
        {
            if (((slot - from) & ScanCheckMask) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            Consider(st, q, slot, k, filter, distances, slots, ref count, stride, ctx);
        }

        return DrainExact(st, distances, slots, count, ctx);
    }

    // Pops the max-heap from the back so ctx.Sorted* comes out ascending.
    private static int DrainExact(IndexState st, float[] distances, int[] slots, int count, SearchContext ctx)
    {
        int filled = count;
        for (int i = count - 1; i >= 0; i--)
        {
            ctx.SortedDistances[i] = distances[0];
            ctx.SortedSlots[i] = slots[0];
            PopExact(st, distances, slots, ref count);
        }

        return filled;
    }

    /// <summary>Asks for every line of a stored slot's vector (a slot past the stored ones is skipped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void PrefetchVector(IndexState st, int slot)
    {
        if ((uint)slot < (uint)st.Count)
        {
            byte* start = (byte*)st.Vector(slot);
            CacheLines.Prefetch(start, start + st.VectorBytes);
        }
    }

    private static void Consider(IndexState st, float* q, int slot, int k, in SlotFilter filter, float[] distances, int[] slots, ref int count, int stride, SearchContext ctx)
    {
        if (!filter.Allows(st, slot))
        {
            return;
        }

        ctx.Distances++;
        float d = TMetric.Distance(q, st.Vector(slot), stride);
        if (count < k)
        {
            PushExact(st, distances, slots, ref count, d, slot);
        }
        else if (ExactLess(st, d, slot, distances[0], slots[0]))
        {
            PopExact(st, distances, slots, ref count);
            PushExact(st, distances, slots, ref count, d, slot);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool ExactLess(IndexState st, float d1, int s1, float d2, int s2) =>
        d1 < d2 || (d1 == d2 && string.CompareOrdinal(st.Key(s1), st.Key(s2)) < 0);

    private static void PushExact(IndexState st, float[] d, int[] s, ref int count, float distance, int slot)
    {
        int i = count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!ExactLess(st, d[parent], s[parent], distance, slot))
            {
                break;
            }

            d[i] = d[parent];
            s[i] = s[parent];
            i = parent;
        }

        d[i] = distance;
        s[i] = slot;
    }

    private static void PopExact(IndexState st, float[] d, int[] s, ref int count)
    {
        int last = --count;
        if (last <= 0)
        {
            return;
        }

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

            if (child + 1 < last && ExactLess(st, d[child], s[child], d[child + 1], s[child + 1]))
            {
                child++;
            }

            if (!ExactLess(st, distance, slot, d[child], s[child]))
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
}
