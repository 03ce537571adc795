using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Theodore.Engine.Distances;

namespace Theodore.Engine.Graph;

// The reachability repair: finds live nodes layer 0 cannot reach from the entry point and links them in.
internal static unsafe partial class Hnsw<TMetric>
    where TMetric : struct, IDistance
{
    /// <summary>
    /// Finds live nodes that a walk from the entry point cannot reach on layer 0 (the heuristic can
    /// prune away every in-link of an outlier, more often under concurrent inserts and under raw dot
    /// product, where large-norm hubs are everyone's nearest neighbour) and links each such component
    /// from a nearby reachable node. An anchor with room is preferred; a full anchor gives up a link
    /// only to a node that keeps another in-link, so one repair never undoes another. Passes repeat
    /// until a flood reaches every live node or a pass makes no progress. Returns the links added.
    /// </summary>
    public static int RepairReachability(IndexState st, SearchContext ctx)
    {
        long entry = st.Entry;
        int n = st.Linked;

        // Only the linked prefix is walked; an entry point raised by a node still being linked waits for the next repair.
        if (entry == -1 || n < 2 || (int)entry >= n)
        {
            return 0;
        }

        var inDegree = CountInDegrees(st, n);
        var reached = new bool[n];
        var queue = new int[n];
        int repaired = 0;

        // Each scan costs one distance per node. The budget, about 2^28 multiply-adds (well under a second), keeps a
        // big graph with many components (heavily duplicated vectors) from paying a scan per unreachable node; a small
        // graph gets a scan for every one. What is left is reported by the integrity check.
        long scans = Math.Max(MinRepairScans, RepairScanBudget / ((long)n * st.Dimension));
        for (int pass = 0; pass < MaxRepairPasses; pass++)
        {
            Array.Clear(reached);
            Flood(st, (int)entry, reached, queue);
            int linked = 0;
            for (int slot = 0; slot < n; slot++)
            {
                if (reached[slot] || st.IsTombstone(slot))
                {
                    continue;
                }

                int found = Search(st, st.Vector(slot), RepairCandidates, Math.Max(st.Options.EfConstruction, RepairCandidates), default, ctx);

                // The walk descends through the upper layers, so it can land in the very component layer 0 cannot
                // reach from the entry; then the nearest reached nodes are found by a scan (once per component).
                if (LinkFromReached(st, slot, found, ctx.SortedSlots, reached, inDegree, evict: true)
                    || (scans-- > 0 && LinkFromReached(st, slot, NearestReached(st, slot, reached, ctx), ctx.SortedSlots, reached, inDegree, evict: false)))
                {
                    Flood(st, slot, reached, queue);
                    linked++;
                }
            }

            repaired += linked;
            if (linked == 0)
            {
                break;
            }
        }

        return repaired;
    }

    // Leaves the RepairCandidates reached live nodes nearest to slot in ctx.Sorted*, ascending; returns how many.
    private static int NearestReached(IndexState st, int slot, bool[] reached, SearchContext ctx)
    {
        ctx.EnsureSorted(RepairCandidates + 1);
        var distances = ctx.SortedDistances;
        var slots = ctx.SortedSlots;
        float* q = st.Vector(slot);
        int count = 0;
        for (int anchor = 0; anchor < reached.Length; anchor++)
        {
            if (!reached[anchor] || anchor == slot || st.IsTombstone(anchor))
            {
                continue;
            }

            float d = TMetric.Distance(q, st.Vector(anchor), st.Stride);
            if (count < RepairCandidates)
            {
                InsertSorted(distances, slots, ref count, d, anchor);
            }
            else if (d < distances[count - 1])
            {
                count--;
                InsertSorted(distances, slots, ref count, d, anchor);
            }
        }

        return count;
    }

    private const int MaxRepairPasses = 4;
    private const int MinRepairScans = 4;
    private const long RepairScanBudget = 1L << 28;
    private const int RepairCandidates = 32;

    private static int[] CountInDegrees(IndexState st, int n)
    {
        var inDegree = new int[n];
        for (int slot = 0; slot < n; slot++)
        {
            int* block = st.Links(slot, 0);
            int count = Math.Min(Volatile.Read(ref block[0]), st.MaxM0);
            for (int i = 1; i <= count; i++)
            {
                if ((uint)block[i] < (uint)n)
                {
                    inDegree[block[i]]++;
                }
            }
        }

        return inDegree;
    }

    // candidates are sorted nearest first; the first reached one with room wins, else the nearest reached one that can give up a spare link
    private static bool LinkFromReached(IndexState st, int target, int found, int[] candidates, bool[] reached, int[] inDegree, bool evict)
    {
        int n = reached.Length;
        for (int i = 0; i < found; i++)
        {
            int anchor = candidates[i];
            if (anchor != target && (uint)anchor < (uint)n && reached[anchor] && TryLink(st, anchor, target, inDegree, evict: false))
            {
                return true;
            }
        }

        for (int i = 0; evict && i < found; i++)
        {
            int anchor = candidates[i];
            if (anchor != target && (uint)anchor < (uint)n && reached[anchor] && TryLink(st, anchor, target, inDegree, evict: true))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Adds anchor -> target on layer 0. When the list is full and <paramref name="evict"/> is set, the farthest
    /// neighbour that has another in-link makes room; a neighbour whose only in-link this is is never dropped.
    /// </summary>
    private static bool TryLink(IndexState st, int anchor, int target, int[] inDegree, bool evict)
    {
        lock (st.NodeLock(anchor))
        {
            int* block = st.Links(anchor, 0);
            int count = block[0];
            for (int i = 1; i <= count; i++)
            {
                if (block[i] == target)
                {
                    return false;
                }
            }

            if (count < st.MaxM0)
            {
                block[1 + count] = target;
                Volatile.Write(ref block[0], count + 1);
                inDegree[target]++;
                return true;
            }

            if (!evict)
            {
                return false;
            }

            float* vector = st.Vector(anchor);
            int farthest = -1;
            float worst = float.MinValue;
            for (int i = 1; i <= count; i++)
            {
                int neighbour = block[i];
                if ((uint)neighbour < (uint)inDegree.Length && inDegree[neighbour] < 2)
                {
                    continue;
                }

                float d = TMetric.Distance(vector, st.Vector(neighbour), st.Stride);
                if (d > worst)
                {
                    worst = d;
                    farthest = i;
                }
            }

            if (farthest < 0)
            {
                return false;
            }

            if ((uint)block[farthest] < (uint)inDegree.Length)
            {
                inDegree[block[farthest]]--;
            }

            block[farthest] = target;
            inDegree[target]++;
            return true;
        }
    }

    private static void Flood(IndexState st, int start, bool[] reached, int[] queue)
    {
        int head = 0;
        int tail = 0;
        reached[start] = true;
        queue[tail++] = start;
        while (head < tail)
        {
            int* block = st.Links(queue[head++], 0);
            int count = Math.Min(Volatile.Read(ref block[0]), st.MaxM0);
            for (int i = 1; i <= count; i++)
            {
                int next = block[i];
                if ((uint)next < (uint)reached.Length && !reached[next])
                {
                    reached[next] = true;
                    queue[tail++] = next;
                }
            }
        }
    }
}
