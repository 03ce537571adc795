using System.Runtime.CompilerServices;
using Theodore.Engine.Distances;

namespace Theodore.Engine.Graph;

/// <summary>
/// HNSW after Malkov &amp; Yashunin (and hnswlib's layout), specialized per metric. Link lists are
/// read without locks: writers publish a list's entries before its count and only ever write valid
/// slot numbers, so a reader racing a rewrite sees a mix of old and new neighbours, never garbage.
/// Writers serialize per node on striped locks; no lock is held across a search.
/// </summary>
internal static unsafe partial class Hnsw<TMetric>
    where TMetric : struct, IDistance
{
    /// <summary>
    /// A walk reads the cancellation token every 32 expansions of the base layer (each measures up to 2M neighbours,
    /// some microseconds), a scan every 1,024 vectors: a deadline is noticed within tens of microseconds.
    /// </summary>
    private const int CancelCheckMask = 31;
    private const int ScanCheckMask = 1023;

    /// <summary>The flag <see cref="SearchPool"/> sets on an expanded entry's slot (slots are never negative).</summary>
    private const int Expanded = int.MinValue;

    /// <summary>
    /// The widest beam <see cref="SearchPool"/> walks; wider ones take the heaps, whose insertions do not grow with ef
    /// (emb-384 100k, QPS against the heaps: ef 20-512 +4 % to +19 %, ef 1,000 -3 %, ef 4,000 -45 %; RESULTS.md).
    /// </summary>
    private const int PoolLimit = 512;

    /// <summary>
    /// Links a stored slot with a beam of <paramref name="ef"/> on every layer up to its level. Every distance of the
    /// build (the beam, the heuristic, the back links' pruning) is <paramref name="walk"/>'s, so a build on codes never
    /// reads a float vector; searches measure exactly.
    /// </summary>
    public static void Insert<TWalk>(IndexState st, int slot, int level, SearchContext ctx, int ef, in TWalk walk)
        where TWalk : struct, IBuildWalk
    {
        long entry = st.Entry;
        if (entry == -1)
        {
            if (st.TrySetFirstEntry(slot, level))
            {
                return;
            }

            entry = st.Entry;
        }

        int ep = (int)entry;
        int top = (int)(entry >> 32);
        float epDistance = walk.To(ep);
        for (int layer = top; layer > level; layer--)
        {
            Greedy(st, walk, ref ep, ref epDistance, layer);
        }

        int m = st.M;
        int layers = Math.Min(level, top);
        ctx.EnsureSorted(Math.Max(ef, st.MaxM0) + 1);
        ctx.EnsureLinks(st.MaxM0 + m + 1);
        ctx.EnsureLayers(layers + 1, m);
        var layerDistances = ctx.LayerDistances;
        var layerSlots = ctx.LayerSlots;
        var layerCounts = ctx.LayerCounts;
        for (int layer = layers; layer >= 0; layer--)
        {
            SearchLayer(st, walk, ep, epDistance, ef, layer, ctx, slot);
            int found = DrainAscending(ctx.Results, ctx.SortedDistances, ctx.SortedSlots);
            layerCounts[layer] = 0;
            if (found == 0)
            {
                continue;
            }

            ep = ctx.SortedSlots[0];
            epDistance = ctx.SortedDistances[0];
            int selected = SelectNeighbours(walk, ctx.SortedDistances, ctx.SortedSlots, found, m, ctx.SelectedDistances, ctx.SelectedSlots);
            Array.Copy(ctx.SelectedDistances, 0, layerDistances, layer * m, selected);
            Array.Copy(ctx.SelectedSlots, 0, layerSlots, layer * m, selected);
            layerCounts[layer] = selected;
        }

        // Link bottom-up: once the node is reachable on a layer, its lists below are already in
        // place, so a concurrent walk that descends through it never hits an empty list.
        for (int layer = 0; layer <= layers; layer++)
        {
            int selected = layerCounts[layer];
            Array.Copy(layerDistances, layer * m, ctx.SelectedDistances, 0, selected);
            Array.Copy(layerSlots, layer * m, ctx.SelectedSlots, 0, selected);
            SetLinks(st, walk, slot, layer, ctx.SelectedDistances, ctx.SelectedSlots, selected, ctx);
            for (int i = 0; i < selected; i++)
            {
                Connect(st, walk, ctx.SelectedSlots[i], slot, ctx.SelectedDistances[i], layer, ctx);
            }
        }

        if (level > top)
        {
            st.RaiseEntry(slot, level);
        }
    }

    /// <summary>
    /// Approximate k nearest; leaves up to k results in ctx.Sorted*, ascending, and returns how many. Throws
    /// <see cref="OperationCanceledException"/> once <paramref name="cancellationToken"/> is cancelled: checked on every
    /// upper layer and every <see cref="CancelCheckMask"/> + 1 expansions of the base layer.
    /// </summary>
    public static int Search(IndexState st, float* q, int k, int ef, in SlotFilter filter, SearchContext ctx, CancellationToken cancellationToken = default)
    {
        long entry = st.Entry;
        if (entry == -1)
        {
            return 0;
        }

        return Math.Min(k, Walk(st, new ExactWalk<TMetric>(st, q), entry, Math.Max(ef, k), filter, ctx, cancellationToken));
    }

    /// <summary>
    /// Descends the upper layers greedily from the entry, then leaves the base layer's best ef in ctx.Sorted*, ascending;
    /// returns how many.
    /// </summary>
    private static int Walk<TWalk>(IndexState st, in TWalk walk, long entry, int ef, in SlotFilter filter, SearchContext ctx, CancellationToken cancellationToken)
        where TWalk : struct, IWalk
    {
        int ep = (int)entry;
        int top = (int)(entry >> 32);
        float epDistance = walk.To(ep);
        long measured = 1;
        for (int layer = top; layer > 0; layer--)
        {
            cancellationToken.ThrowIfCancellationRequested();
            measured += Greedy(st, walk, ref ep, ref epDistance, layer);
        }

        ctx.Distances += measured;
        ctx.EnsureLinks(st.MaxM0 + 1);
        ctx.EnsureSorted(ef + 1);
        if (ef <= PoolLimit && !filter.IsRestricting && st.Tombstones == 0 && st.SoftDeleted == 0)
        {
            return SearchPool(st, walk, ep, epDistance, ef, ctx, cancellationToken);
        }

        SearchBase(st, walk, ep, epDistance, ef, filter, ctx, cancellationToken);
        return DrainAscending(ctx.Results, ctx.SortedDistances, ctx.SortedSlots);
    }

    /// <summary>Greedy descent on one upper layer; returns how many distances it measured.</summary>
    private static int Greedy<TWalk>(IndexState st, in TWalk walk, ref int ep, ref float epDistance, int layer)
        where TWalk : struct, IWalk
    {
        int measured = 0;
        bool changed = true;
        while (changed)
        {
            changed = false;
            int* block = st.Links(ep, layer);
            int n = Math.Min(Volatile.Read(ref block[0]), st.M);
            measured += n;
            for (int i = 1; i <= n; i++)
            {
                int candidate = block[i];
                float d = walk.To(candidate);
                if (d < epDistance)
                {
                    epDistance = d;
                    ep = candidate;
                    changed = true;
                }
            }
        }

        return measured;
    }

    /// <summary>Beam search on one layer for construction: every node counts, tombstones included.</summary>
    private static void SearchLayer<TWalk>(IndexState st, in TWalk walk, int ep, float epDistance, int ef, int layer, SearchContext ctx, int exclude)
        where TWalk : struct, IWalk
    {
        ctx.NewVisit(st.Capacity);
        byte[] tags = ctx.VisitedTags;
        byte generation = ctx.Generation;
        var top = ctx.Results;
        var candidates = ctx.Candidates;
        int[] pending = ctx.Pending;
        top.Clear();
        candidates.Clear();
        tags[exclude] = generation;
        tags[ep] = generation;
        top.Push(epDistance, ep);
        candidates.Push(-epDistance, ep);
        float lower = epDistance;
        int cap = layer == 0 ? st.MaxM0 : st.M;
        while (candidates.Count > 0)
        {
            if (-candidates.TopDistance > lower && top.Count >= ef)
            {
                break;
            }

            int current = candidates.TopSlot;
            candidates.Pop();
            int* block = st.Links(current, layer);
            int n = Math.Min(Volatile.Read(ref block[0]), cap);
            int waiting = Gather(walk, block, n, tags, generation, pending);
            for (int i = 0; i < waiting; i++)
            {
                int next = pending[i];
                float d = walk.To(next);
                if (top.Count < ef || d < lower)
                {
                    candidates.Push(-d, next);
                    top.Push(d, next);
                    if (top.Count > ef)
                    {
                        top.Pop();
                    }

                    lower = top.TopDistance;
                }
            }
        }
    }

    /// <summary>
    /// Beam search on layer 0 when every node may enter the results: one pool of the best ef so far, kept sorted in
    /// ctx.Sorted*, whose entries are flagged once expanded, in place of hnswlib's two heaps. It visits the same nodes
    /// as <see cref="SearchBase"/> (expand the nearest unexpanded entry until every entry of the full pool is expanded;
    /// the two could part only where a distance ties with the worst result) with one insertion where the heaps paid a
    /// push each, a pop each and an eviction. Returns the pool's size.
    /// </summary>
    private static int SearchPool<TWalk>(IndexState st, in TWalk walk, int ep, float epDistance, int ef, SearchContext ctx, CancellationToken cancellationToken)
        where TWalk : struct, IWalk
    {
        ctx.NewVisit(st.Capacity);
        byte[] tags = ctx.VisitedTags;
        byte generation = ctx.Generation;
        int[] pending = ctx.Pending;
        float[] distances = ctx.SortedDistances;
        int[] slots = ctx.SortedSlots;
        tags[ep] = generation;
        distances[0] = epDistance;
        slots[0] = ep;
        int size = 1;
        int cursor = 0;
        int cap = st.MaxM0;
        int expansions = 0;
        while (cursor < size)
        {
            if ((++expansions & CancelCheckMask) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            int current = slots[cursor];
            slots[cursor] = current | Expanded;
            int* block = st.Links(current, 0);
            int n = Math.Min(Volatile.Read(ref block[0]), cap);
            int waiting = Gather(walk, block, n, tags, generation, pending);
            ctx.Distances += waiting;
            int lowest = size;
            for (int i = 0; i < waiting; i++)
            {
                int next = pending[i];
                if (i + 2 < waiting)
                {
                    walk.PrefetchRest(pending[i + 2]);
                }

                float d = walk.To(next);
                if (size == ef && d >= distances[size - 1])
                {
                    continue;
                }

                // A full pool drops its last entry; equal distances keep their order of arrival.
                int at = size == ef ? size - 1 : size++;
                while (at > 0 && distances[at - 1] > d)
                {
                    distances[at] = distances[at - 1];
                    slots[at] = slots[at - 1];
                    at--;
                }

                distances[at] = d;
                slots[at] = next;
                lowest = Math.Min(lowest, at);
            }

            // Entries before the cursor are expanded; an insertion before it is the nearest unexpanded one.
            cursor = Math.Min(cursor, lowest);
            while (cursor < size && slots[cursor] < 0)
            {
                cursor++;
            }
        }

        for (int i = 0; i < size; i++)
        {
            slots[i] &= ~Expanded;
        }

        return size;
    }

    /// <summary>
    /// Beam search on layer 0 for queries: tombstones and non-matching nodes are walked through but
    /// never enter the results (hnswlib's rule: keep going until the result set is full).
    /// </summary>
    private static void SearchBase<TWalk>(IndexState st, in TWalk walk, int ep, float epDistance, int ef, in SlotFilter filter, SearchContext ctx, CancellationToken cancellationToken)
        where TWalk : struct, IWalk
    {
        ctx.NewVisit(st.Capacity);
        byte[] tags = ctx.VisitedTags;
        byte generation = ctx.Generation;
        var top = ctx.Results;
        var candidates = ctx.Candidates;
        int[] pending = ctx.Pending;
        top.Clear();
        candidates.Clear();
        bool restricted = filter.IsRestricting || st.Tombstones > 0 || st.SoftDeleted > 0;
        tags[ep] = generation;
        if (filter.Allows(st, ep))
        {
            top.Push(epDistance, ep);
        }

        candidates.Push(-epDistance, ep);
        float lower = epDistance;
        int cap = st.MaxM0;
        int expansions = 0;
        while (candidates.Count > 0)
        {
            if (-candidates.TopDistance > lower && (top.Count >= ef || !restricted))
            {
                break;
            }

            // one predictable branch per expansion, a token read per CancelCheckMask + 1 of them
            if ((++expansions & CancelCheckMask) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            int current = candidates.TopSlot;
            candidates.Pop();
            int* block = st.Links(current, 0);
            int n = Math.Min(Volatile.Read(ref block[0]), cap);
            int waiting = Gather(walk, block, n, tags, generation, pending);
            ctx.Distances += waiting;
            for (int i = 0; i < waiting; i++)
            {
                int next = pending[i];
                if (i + 2 < waiting)
                {
                    walk.PrefetchRest(pending[i + 2]);
                }

                float d = walk.To(next);
                if (top.Count < ef || d < lower)
                {
                    candidates.Push(-d, next);
                    if (!restricted || filter.Allows(st, next))
                    {
                        top.Push(d, next);
                        if (top.Count > ef)
                        {
                            top.Pop();
                        }
                    }

                    if (top.Count > 0)
                    {
                        lower = top.TopDistance;
                    }
                }
            }
        }
    }

    /// <summary>Marks and collects the unvisited neighbours, prefetching what measuring each one reads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Gather<TWalk>(in TWalk walk, int* block, int n, byte[] tags, byte generation, int[] pending)
        where TWalk : struct, IWalk
    {
        int waiting = 0;
        for (int i = 1; i <= n; i++)
        {
            int next = block[i];
            if ((uint)next >= (uint)tags.Length || tags[next] == generation)
            {
                continue;
            }

            tags[next] = generation;
            pending[waiting++] = next;
            walk.Prefetch(next);
        }

        return waiting;
    }

    /// <summary>Empties a max-heap into ascending arrays; returns the count.</summary>
    private static int DrainAscending(DistanceHeap heap, float[] distances, int[] slots)
    {
        int n = heap.Count;
        for (int i = n - 1; i >= 0; i--)
        {
            distances[i] = heap.TopDistance;
            slots[i] = heap.TopSlot;
            heap.Pop();
        }

        return n;
    }

    /// <summary>
    /// The paper's heuristic (hnswlib's getNeighborsByHeuristic2): take candidates in ascending
    /// order and keep one only if it is closer to the base than to every neighbour kept so far.
    /// </summary>
    internal static int SelectNeighbours(IndexState st, float[] distances, int[] slots, int n, int m, float[] outDistances, int[] outSlots) =>
        SelectNeighbours(new ExactWalk<TMetric>(st, query: null), distances, slots, n, m, outDistances, outSlots);

    private static int SelectNeighbours<TWalk>(in TWalk walk, float[] distances, int[] slots, int n, int m, float[] outDistances, int[] outSlots)
        where TWalk : struct, IBuildWalk
    {
        if (n <= m)
        {
            Array.Copy(distances, outDistances, n);
            Array.Copy(slots, outSlots, n);
            return n;
        }

        int kept = 0;
        for (int i = 0; i < n && kept < m; i++)
        {
            int candidate = slots[i];
            bool good = true;
            for (int j = 0; j < kept; j++)
            {
                if (walk.Between(candidate, outSlots[j]) < distances[i])
                {
                    good = false;
                    break;
                }
            }

            if (good)
            {
                outDistances[kept] = distances[i];
                outSlots[kept] = slots[i];
                kept++;
            }
        }

        return kept;
    }

    /// <summary>
    /// Writes a new node's list on a layer. Another insert may already have linked to the node
    /// (it can be reached as an entry point from the layer above), so those links are merged in
    /// and the union re-pruned rather than overwritten.
    /// </summary>
    private static void SetLinks<TWalk>(IndexState st, in TWalk walk, int slot, int layer, float[] selectedDistances, int[] selected, int count, SearchContext ctx)
        where TWalk : struct, IBuildWalk
    {
        int cap = layer == 0 ? st.MaxM0 : st.M;
        lock (st.NodeLock(slot))
        {
            int* block = st.Links(slot, layer);
            int existing = block[0];
            if (existing == 0)
            {
                for (int i = 0; i < count; i++)
                {
                    block[1 + i] = selected[i];
                }

                Volatile.Write(ref block[0], count);
                return;
            }

            var pd = ctx.PruneDistances;
            var ps = ctx.PruneSlots;
            int n = 0;
            for (int i = 0; i < count; i++)
            {
                InsertSorted(pd, ps, ref n, selectedDistances[i], selected[i]);
            }

            for (int i = 1; i <= existing; i++)
            {
                int other = block[i];
                if (Array.IndexOf(ps, other, 0, n) < 0)
                {
                    InsertSorted(pd, ps, ref n, walk.Between(slot, other), other);
                }
            }

            int kept = SelectNeighbours(walk, pd, ps, n, cap, ctx.PrunedDistances, ctx.PrunedSlots);
            for (int i = 0; i < kept; i++)
            {
                block[1 + i] = ctx.PrunedSlots[i];
            }

            Volatile.Write(ref block[0], kept);
        }
    }

    /// <summary>Adds the back link node -> newSlot, re-pruning with the heuristic when the list is full.</summary>
    private static void Connect<TWalk>(IndexState st, in TWalk walk, int node, int newSlot, float distance, int layer, SearchContext ctx)
        where TWalk : struct, IBuildWalk
    {
        int cap = layer == 0 ? st.MaxM0 : st.M;
        lock (st.NodeLock(node))
        {
            int* block = st.Links(node, layer);
            int n = block[0];
            for (int i = 1; i <= n; i++)
            {
                if (block[i] == newSlot)
                {
                    return;
                }
            }

            if (n < cap)
            {
                block[1 + n] = newSlot;
                Volatile.Write(ref block[0], n + 1);
                return;
            }

            var pd = ctx.PruneDistances;
            var ps = ctx.PruneSlots;
            int count = 0;
            InsertSorted(pd, ps, ref count, distance, newSlot);
            for (int i = 1; i <= n; i++)
            {
                int other = block[i];
                InsertSorted(pd, ps, ref count, walk.Between(node, other), other);
            }

            int kept = SelectNeighbours(walk, pd, ps, count, cap, ctx.PrunedDistances, ctx.PrunedSlots);
            var keptSlots = ctx.PrunedSlots;
            for (int i = 0; i < kept; i++)
            {
                block[1 + i] = keptSlots[i];
            }

            Volatile.Write(ref block[0], kept);
        }
    }

    private static void InsertSorted(float[] distances, int[] slots, ref int count, float distance, int slot)
    {
        int i = count++;
        while (i > 0 && distances[i - 1] > distance)
        {
            distances[i] = distances[i - 1];
            slots[i] = slots[i - 1];
            i--;
        }

        distances[i] = distance;
        slots[i] = slot;
    }
}
