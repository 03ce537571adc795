using Theodore.Engine.Distances;

namespace Theodore.Engine.Graph;

/// <summary>
/// Copies the live records into a fresh state and carries the graph over instead of rebuilding it:
/// a node's links to live nodes are kept as they are; where it linked to a tombstone, the
/// tombstone's live neighbours become candidates and the list is re-chosen with the heuristic
/// (hnswlib's repair after a delete). Runs with writers shut out; the old state is only read.
/// </summary>
internal static unsafe class Compactor<TMetric>
    where TMetric : struct, IDistance
{
    public static IndexState Compact(IndexState old, VectorIndexOptions options, int seed, int threads)
    {
        int n = old.Count;
        var remap = new int[n];
        var live = new List<int>(n - old.Tombstones);
        for (int slot = 0; slot < n; slot++)
        {
            remap[slot] = -1;
            // Soft-deleted records are copied as they are (restorable); only tombstones go.
            if (!old.IsTombstone(slot))
            {
                remap[slot] = live.Count;
                live.Add(slot);
            }
        }

        var fresh = new IndexState(options, seed);
        foreach (int slot in live)
        {
            var vector = new ReadOnlySpan<float>(old.Vector(slot), old.Dimension);
            fresh.Allocate(old.Key(slot), vector, old.MetadataOf(slot), old.Level(slot), old.StateOf(slot), out _);
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, threads) };
        Parallel.For(
            0,
            live.Count,
            parallel,
            () => new Scratch(n, old.MaxM0),
            (i, _, scratch) =>
            {
                int slot = live[i];
                int level = old.Level(slot);
                for (int layer = 0; layer <= level; layer++)
                {
                    Relink(old, fresh, slot, i, layer, remap, scratch);
                }

                return scratch;
            },
            _ => { });

        SetEntry(old, fresh, remap, live);
        fresh.MarkAllLinked();
        for (int i = 0; i < live.Count; i++)
        {
            if (old.IsCoarse(live[i]))
            {
                fresh.MarkCoarse(i);
            }
        }

        return fresh;
    }

    private static void Relink(IndexState old, IndexState fresh, int slot, int target, int layer, int[] remap, Scratch scratch)
    {
        int cap = layer == 0 ? old.MaxM0 : old.M;
        int* source = old.Links(slot, layer);
        int count = Math.Min(source[0], cap);
        int* destination = fresh.Links(target, layer);
        bool touchesTombstone = false;
        for (int i = 1; i <= count; i++)
        {
            if (remap[source[i]] < 0)
            {
                touchesTombstone = true;
                break;
            }
        }

        if (!touchesTombstone)
        {
            for (int i = 1; i <= count; i++)
            {
                destination[i] = remap[source[i]];
            }

            destination[0] = count;
            return;
        }

        // Candidates: the live neighbours plus the live neighbours of each deleted neighbour.
        scratch.Generation++;
        scratch.Seen[slot] = scratch.Generation;
        int candidates = 0;
        for (int i = 1; i <= count; i++)
        {
            int neighbour = source[i];
            if (remap[neighbour] >= 0)
            {
                scratch.Add(neighbour, ref candidates);
                continue;
            }

            int* second = old.Links(neighbour, layer);
            int secondCount = Math.Min(second[0], cap);
            for (int j = 1; j <= secondCount; j++)
            {
                if (remap[second[j]] >= 0)
                {
                    scratch.Add(second[j], ref candidates);
                }
            }
        }

        float* vector = old.Vector(slot);
        for (int i = 0; i < candidates; i++)
        {
            scratch.Distances[i] = TMetric.Distance(vector, old.Vector(scratch.Slots[i]), old.Stride);
        }

        Array.Sort(scratch.Distances, scratch.Slots, 0, candidates);

        // The heuristic only needs the closest few; a bounded pool keeps the repair linear.
        candidates = Math.Min(candidates, 3 * cap);
        int kept = Hnsw<TMetric>.SelectNeighbours(old, scratch.Distances, scratch.Slots, candidates, cap, scratch.KeptDistances, scratch.KeptSlots);
        for (int i = 0; i < kept; i++)
        {
            destination[1 + i] = remap[scratch.KeptSlots[i]];
        }

        destination[0] = kept;
    }

    private static void SetEntry(IndexState old, IndexState fresh, int[] remap, List<int> live)
    {
        if (live.Count == 0)
        {
            fresh.SetEntry(-1, 0);
            return;
        }

        long entry = old.Entry;
        int slot = (int)entry;
        if (entry != -1 && remap[slot] >= 0)
        {
            fresh.SetEntry(remap[slot], (int)(entry >> 32));
            return;
        }

        int best = live[0];
        foreach (int candidate in live)
        {
            if (old.Level(candidate) > old.Level(best))
            {
                best = candidate;
            }
        }

        fresh.SetEntry(remap[best], old.Level(best));
    }

    private sealed class Scratch(int slots, int maxLinks)
    {
        public int[] Seen { get; } = new int[slots];

        public int Generation { get; set; }

        public float[] Distances { get; private set; } = new float[maxLinks * (maxLinks + 1)];

        public int[] Slots { get; private set; } = new int[maxLinks * (maxLinks + 1)];

        public float[] KeptDistances { get; } = new float[maxLinks * (maxLinks + 1)];

        public int[] KeptSlots { get; } = new int[maxLinks * (maxLinks + 1)];

        public void Add(int slot, ref int count)
        {
            if (Seen[slot] == Generation)
            {
                return;
            }

            Seen[slot] = Generation;
            if (count == Slots.Length)
            {
                var distances = Distances;
                var grownSlots = Slots;
                Array.Resize(ref distances, count * 2);
                Array.Resize(ref grownSlots, count * 2);
                Distances = distances;
                Slots = grownSlots;
            }

            Slots[count++] = slot;
        }
    }
}
