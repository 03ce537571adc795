using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Theodore.Engine.Distances;

namespace Theodore.Engine.Graph;

/// <summary>
/// HNSW after Malkov &amp; Yashunin (and hnswlib's layout), specialized per metric. Link lists are
/// read without locks: writers publish a list's entries before its count and only ever write valid
/// slot numbers, so a reader racing a rewrite sees a mix of old and new neighbours, never garbage.
/// Writers serialize per node on striped locks; no lock is held across a search.
/// </summary>
internal static unsafe class Hnsw<TMetric>
    where TMetric : struct, IDistance
{
    public static void Insert(IndexState st, int slot, int level, SearchContext ctx)
    {
        float* q = st.Vector(slot);
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
        float epDistance = TMetric.Distance(q, st.Vector(ep), st.Stride);
        for (int layer = top; layer > level; layer--)
        {
            Greedy(st, q, ref ep, ref epDistance, layer);
        }

        int ef = st.Options.EfConstruction;
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
            SearchLayer(st, q, ep, epDistance, ef, layer, ctx, slot);
            int found = DrainAscending(ctx.Results, ctx.SortedDistances, ctx.SortedSlots);
            layerCounts[layer] = 0;
            if (found == 0)
            {
                continue;
            }

            ep = ctx.SortedSlots[0];
            epDistance = ctx.SortedDistances[0];
            int selected = SelectNeighbours(st, ctx.SortedDistances, ctx.SortedSlots, found, m, ctx.SelectedDistances, ctx.SelectedSlots);
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
            SetLinks(st, slot, layer, ctx.SelectedDistances, ctx.SelectedSlots, selected, ctx);
            for (int i = 0; i < selected; i++)
            {
                Connect(st, ctx.SelectedSlots[i], slot, ctx.SelectedDistances[i], layer, ctx);
            }
        }

        if (level > top)
        {
            st.RaiseEntry(slot, level);
        }
    }

    /// <summary>Approximate k nearest; leaves up to k results in ctx.Sorted*, ascending, and returns how many.</summary>
    public static int Search(IndexState st, float* q, int k, int ef, in SlotFilter filter, SearchContext ctx)
    {
        long entry = st.Entry;
        if (entry == -1)
        {
            return 0;
        }

        int ep = (int)entry;
        int top = (int)(entry >> 32);
        float epDistance = TMetric.Distance(q, st.Vector(ep), st.Stride);
        for (int layer = top; layer > 0; layer--)
        {
            Greedy(st, q, ref ep, ref epDistance, layer);
        }

        ctx.EnsureLinks(st.MaxM0 + 1);
        SearchBase(st, q, ep, epDistance, Math.Max(ef, k), filter, ctx);
        var results = ctx.Results;
        while (results.Count > k)
        {
            results.Pop();
        }

        ctx.EnsureSorted(k + 1);
        return DrainAscending(results, ctx.SortedDistances, ctx.SortedSlots);
    }

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
                if (reached[slot] || st.IsDeleted(slot))
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
            if (!reached[anchor] || anchor == slot || st.IsDeleted(anchor))
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

    /// <summary>
    /// Exact k nearest over all slots, or over <paramref name="candidates"/> when given (duplicates
    /// allowed). Ties are broken by key, so the answer is deterministic. Leaves results in ctx.Sorted*.
    /// </summary>
    public static int Exact(IndexState st, float* q, int k, in SlotFilter filter, List<int>? candidates, SearchContext ctx)
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
                Consider(st, q, slot, k, filter, distances, slots, ref count, stride);
            }
        }
        else
        {
            ctx.NewVisit(st.Capacity);
            var tags = ctx.VisitedTags;
            int generation = ctx.Generation;
            // Candidates are scattered over the arena: fetch a few vectors ahead of the distance loop.
            const int Ahead = 3;
            int total = candidates.Count;
            for (int i = 0; i < total; i++)
            {
                if (i + Ahead < total)
                {
                    PrefetchVector(st, candidates[i + Ahead]);
                }

                int slot = candidates[i];
                if ((uint)slot < (uint)tags.Length && tags[slot] != generation)
                {
                    tags[slot] = generation;
                    Consider(st, q, slot, k, filter, distances, slots, ref count, stride);
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
    public static int MergeUnlinked(IndexState st, float* q, int k, int found, int from, int to, in SlotFilter filter, SearchContext ctx)
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
            Consider(st, q, slot, k, filter, distances, slots, ref count, stride);
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void PrefetchVector(IndexState st, int slot)
    {
        if (Sse.IsSupported && (uint)slot < (uint)st.Count)
        {
            byte* start = (byte*)st.Vector(slot);
            byte* end = start + (st.Stride * sizeof(float));
            for (byte* line = start; line < end; line += 64)
            {
                Sse.Prefetch0(line);
            }
        }
    }

    private static void Consider(IndexState st, float* q, int slot, int k, in SlotFilter filter, float[] distances, int[] slots, ref int count, int stride)
    {
        if (!filter.Allows(st, slot))
        {
            return;
        }

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

    private static void Greedy(IndexState st, float* q, ref int ep, ref float epDistance, int layer)
    {
        int stride = st.Stride;
        bool changed = true;
        while (changed)
        {
            changed = false;
            int* block = st.Links(ep, layer);
            int n = Math.Min(Volatile.Read(ref block[0]), st.M);
            for (int i = 1; i <= n; i++)
            {
                int candidate = block[i];
                float d = TMetric.Distance(q, st.Vector(candidate), stride);
                if (d < epDistance)
                {
                    epDistance = d;
                    ep = candidate;
                    changed = true;
                }
            }
        }
    }

    /// <summary>Beam search on one layer for construction: every node counts, tombstones included.</summary>
    private static void SearchLayer(IndexState st, float* q, int ep, float epDistance, int ef, int layer, SearchContext ctx, int exclude)
    {
        int stride = st.Stride;
        ctx.NewVisit(st.Capacity);
        int[] tags = ctx.VisitedTags;
        int generation = ctx.Generation;
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
            int waiting = Gather(st, block, n, tags, generation, pending);
            for (int i = 0; i < waiting; i++)
            {
                int next = pending[i];
                float d = TMetric.Distance(q, st.Vector(next), stride);
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
    /// Beam search on layer 0 for queries: tombstones and non-matching nodes are walked through but
    /// never enter the results (hnswlib's rule: keep going until the result set is full).
    /// </summary>
    private static void SearchBase(IndexState st, float* q, int ep, float epDistance, int ef, in SlotFilter filter, SearchContext ctx)
    {
        int stride = st.Stride;
        ctx.NewVisit(st.Capacity);
        int[] tags = ctx.VisitedTags;
        int generation = ctx.Generation;
        var top = ctx.Results;
        var candidates = ctx.Candidates;
        int[] pending = ctx.Pending;
        top.Clear();
        candidates.Clear();
        bool restricted = filter.IsRestricting || st.Tombstones > 0;
        tags[ep] = generation;
        if (filter.Allows(st, ep))
        {
            top.Push(epDistance, ep);
        }

        candidates.Push(-epDistance, ep);
        float lower = epDistance;
        int cap = st.MaxM0;
        while (candidates.Count > 0)
        {
            if (-candidates.TopDistance > lower && (top.Count >= ef || !restricted))
            {
                break;
            }

            int current = candidates.TopSlot;
            candidates.Pop();
            int* block = st.Links(current, 0);
            int n = Math.Min(Volatile.Read(ref block[0]), cap);
            int waiting = Gather(st, block, n, tags, generation, pending);
            for (int i = 0; i < waiting; i++)
            {
                int next = pending[i];
                float d = TMetric.Distance(q, st.Vector(next), stride);
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

    /// <summary>Marks and collects the unvisited neighbours, prefetching each one's vector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Gather(IndexState st, int* block, int n, int[] tags, int generation, int[] pending)
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
            if (Sse.IsSupported)
            {
                Sse.Prefetch0(st.Vector(next));
            }
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
    internal static int SelectNeighbours(IndexState st, float[] distances, int[] slots, int n, int m, float[] outDistances, int[] outSlots)
    {
        if (n <= m)
        {
            Array.Copy(distances, outDistances, n);
            Array.Copy(slots, outSlots, n);
            return n;
        }

        int stride = st.Stride;
        int kept = 0;
        for (int i = 0; i < n && kept < m; i++)
        {
            float* candidate = st.Vector(slots[i]);
            bool good = true;
            for (int j = 0; j < kept; j++)
            {
                if (TMetric.Distance(candidate, st.Vector(outSlots[j]), stride) < distances[i])
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
    private static void SetLinks(IndexState st, int slot, int layer, float[] selectedDistances, int[] selected, int count, SearchContext ctx)
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

            float* vector = st.Vector(slot);
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
                    InsertSorted(pd, ps, ref n, TMetric.Distance(vector, st.Vector(other), st.Stride), other);
                }
            }

            int kept = SelectNeighbours(st, pd, ps, n, cap, ctx.PrunedDistances, ctx.PrunedSlots);
            for (int i = 0; i < kept; i++)
            {
                block[1 + i] = ctx.PrunedSlots[i];
            }

            Volatile.Write(ref block[0], kept);
        }
    }

    /// <summary>Adds the back link node -> newSlot, re-pruning with the heuristic when the list is full.</summary>
    private static void Connect(IndexState st, int node, int newSlot, float distance, int layer, SearchContext ctx)
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

            float* vector = st.Vector(node);
            var pd = ctx.PruneDistances;
            var ps = ctx.PruneSlots;
            int count = 0;
            InsertSorted(pd, ps, ref count, distance, newSlot);
            for (int i = 1; i <= n; i++)
            {
                int other = block[i];
                InsertSorted(pd, ps, ref count, TMetric.Distance(vector, st.Vector(other), st.Stride), other);
            }

            int kept = SelectNeighbours(st, pd, ps, count, cap, ctx.PrunedDistances, ctx.PrunedSlots);
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
