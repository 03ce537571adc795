using Theodore.Engine.Distances;

namespace Theodore.Engine.Graph;

// Quantized search: the walk measures on codes, the answer on the float vectors.
internal static unsafe partial class Hnsw<TMetric>
    where TMetric : struct, IDistance
{
    /// <summary>
    /// Approximate k nearest of a quantized index: the graph walk measures every visit on <paramref name="walk"/>'s
    /// codes, then the best <paramref name="rerank"/> of all the nodes it measured, by code distance, are measured
    /// exactly on the float vectors, and the best k of those are left in ctx.Sorted*, ascending. Returns how many.
    /// The rerank does not stop at the walk's ef results: where it asks for more, the walk's runners-up make up the
    /// rest, so a coarse code (binary) that ranks a true neighbour just outside the beam still has it measured, and the
    /// beam only has to be wide enough to reach the neighbourhood (ADR 0023).
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
        int wanted = Math.Max(k, rerank);
        int found = Walk(st, walk, entry, width, spare: Math.Max(0, wanted - width), filter, ctx, cancellationToken);
        // The runners-up go after the results; the arrays grow to what the walk kept, not to what the factor asked for.
        int measured = Math.Min(found, wanted);
        ctx.EnsureSorted(measured + ctx.RunnersUp.Count, keep: measured);
        var distances = ctx.SortedDistances;
        var slots = ctx.SortedSlots;
        measured += ctx.RunnersUp.CopyTo(distances, slots, measured);

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
