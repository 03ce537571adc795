using Theodore.Engine.Distances;

namespace Theodore.Engine.Graph;

// Quantized search: the walk measures on codes, the answer on the float vectors.
internal static unsafe partial class Hnsw<TMetric>
    where TMetric : struct, IDistance
{
    /// <summary>
    /// Approximate k nearest of a quantized index: the graph walk measures every visit on <paramref name="walk"/>'s
    /// codes, then the best <paramref name="rerank"/> of its ef candidates by code distance are measured exactly on
    /// the float vectors, and the best k of those are left in ctx.Sorted*, ascending. Returns how many.
    /// </summary>
    public static int SearchQuantized<TWalk>(IndexState st, float* q, in TWalk walk, int k, int ef, int rerank, in SlotFilter filter, SearchContext ctx, CancellationToken cancellationToken = default)
        where TWalk : struct, IWalk
    {
        long entry = st.Entry;
        if (entry == -1)
        {
            return 0;
        }

        int width = Math.Max(ef, k);
        int found = Walk(st, walk, entry, width, filter, ctx, cancellationToken);
        int measured = Math.Min(found, Math.Max(k, rerank));
        var distances = ctx.SortedDistances;
        var slots = ctx.SortedSlots;
        var exact = new ExactWalk<TMetric>(st, q);

        // Whole rows, two ahead of the distance loop (the first two before it).
        for (int i = 0; i < Math.Min(measured, 2); i++)
        {
            PrefetchVector(st, slots[i]);
        }

        for (int i = 0; i < measured; i++)
        {
            if (i + 2 < measured)
            {
                PrefetchVector(st, slots[i + 2]);
            }

            distances[i] = exact.To(slots[i]);
        }

        ctx.Distances += measured;
        Array.Sort(distances, slots, 0, measured);
        return Math.Min(k, measured);
    }
}
