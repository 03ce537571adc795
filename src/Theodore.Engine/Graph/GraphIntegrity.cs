using System.Numerics.Tensors;

namespace Theodore.Engine.Graph;

/// <summary>
/// Walks one frozen <see cref="IndexState"/> and lists what does not add up. Linear in slots plus links; the
/// reachability pass is one breadth-first search over layer 0 with a bool array.
/// </summary>
internal static unsafe class GraphIntegrity
{
    private const int MaxExamples = 5;
    private const float NormTolerance = 1e-3f;

    public static IntegrityReport Check(IndexState st)
    {
        var problems = new Problems();
        int n = st.Count;
        int live = CheckKeys(st, n, problems);
        CheckVectors(st, n, problems);
        CheckMetadata(st, n, live - st.SoftDeleted, problems);
        CheckVisibility(st, n, problems);
        CheckLinks(st, n, problems);
        bool entryValid = CheckEntry(st, n, problems);
        int unreachable = entryValid ? CountUnreachable(st, n, problems) : 0;
        return new IntegrityReport(problems.ToList(), n, live, unreachable);
    }

    private static int CheckKeys(IndexState st, int n, Problems problems)
    {
        var owner = new string?[n];
        var keys = st.SnapshotKeys();
        foreach (var key in keys)
        {
            if (!st.TryGetSlot(key, out int slot))
            {
                continue;
            }

            if (slot < 0 || slot >= n)
            {
                problems.Add("key-map", "a key maps to a slot that does not exist", $"'{key}' -> {slot}");
            }
            else if (owner[slot] is { } other)
            {
                problems.Add("key-map", "two keys map to the same slot", $"'{other}' and '{key}' -> {slot}");
            }
            else
            {
                owner[slot] = key;
                if (!string.Equals(st.Key(slot), key, StringComparison.Ordinal))
                {
                    problems.Add("key-map", "a key maps to a slot holding another key", $"'{key}' -> {slot} holding '{st.Key(slot)}'");
                }
                else if (st.IsTombstone(slot))
                {
                    problems.Add("key-map", "a key maps to a tombstone", $"'{key}' -> {slot}");
                }
            }
        }

        int liveFlags = 0;
        for (int slot = 0; slot < n; slot++)
        {
            if (st.IsTombstone(slot))
            {
                continue;
            }

            liveFlags++;
            if (owner[slot] is null)
            {
                problems.Add("key-map", "a live slot is not in the key map", $"slot {slot} '{st.Key(slot)}'");
            }
        }

        if (liveFlags != keys.Length || n - liveFlags != st.Tombstones)
        {
            problems.Add(
                "counts",
                "the key map, the tombstone counter and the slots disagree",
                $"{keys.Length} keys, {st.Tombstones} tombstones counted, {liveFlags} live and {n - liveFlags} deleted slots");
        }

        return liveFlags;
    }

    // Soft-delete flags agree with their times and the counter; expiries sit on keyed slots only and match theirs.
    private static void CheckVisibility(IndexState st, int n, Problems problems)
    {
        int softDeleted = 0, expiring = 0;
        for (int slot = 0; slot < n; slot++)
        {
            var state = st.StateOf(slot);
            if (st.IsTombstone(slot))
            {
                if (state.ExpiresAt != 0 || state.DeletedAt != 0)
                {
                    problems.Add("visibility", "a tombstone keeps an expiry or a soft-delete time", $"slot {slot}");
                }

                continue;
            }

            if (st.IsSoftDeleted(slot) != (state.DeletedAt != 0))
            {
                problems.Add("visibility", "a soft-delete flag and its time disagree", $"slot {slot} '{st.Key(slot)}'");
            }

            softDeleted += st.IsSoftDeleted(slot) ? 1 : 0;
            expiring += state.ExpiresAt != 0 ? 1 : 0;
        }

        if (softDeleted != st.SoftDeleted || expiring != st.Expiring)
        {
            problems.Add(
                "visibility",
                "the soft-delete or expiry counters disagree with the slots",
                $"{st.SoftDeleted} soft-deleted and {st.Expiring} expiring counted, {softDeleted} and {expiring} in the slots");
        }
    }

    private static void CheckVectors(IndexState st, int n, Problems problems)
    {
        bool cosine = st.Options.Metric == DistanceMetric.Cosine;
        for (int slot = 0; slot < n; slot++)
        {
            var vector = new ReadOnlySpan<float>(st.Vector(slot), st.Dimension);
            if (!TensorPrimitives.IsFiniteAll(vector))
            {
                problems.Add("vector-finite", "a vector holds NaN or infinity", $"slot {slot}");
            }
            else if (cosine && Math.Abs(TensorPrimitives.SumOfSquares(vector) - 1f) > NormTolerance)
            {
                problems.Add("vector-norm", "a cosine vector is not unit length", $"slot {slot}: |v| = {MathF.Sqrt(TensorPrimitives.SumOfSquares(vector))}");
            }
        }
    }

    // Soft-deleted records are out of the postings, like tombstones; live counts the records that are in them.
    private static void CheckMetadata(IndexState st, int n, int live, Problems problems)
    {
        // Postings are sets: a list holding a value twice counts once for that record.
        var expected = new Dictionary<string, Dictionary<EngineValue, int>>(StringComparer.Ordinal);
        var perRecord = new HashSet<EngineValue>();
        for (int slot = 0; slot < n; slot++)
        {
            if (st.IsDeleted(slot))
            {
                continue;
            }

            foreach (var (field, value) in st.MetadataOf(slot))
            {
                if (!expected.TryGetValue(field, out var counts))
                {
                    counts = [];
                    expected.Add(field, counts);
                }

                perRecord.Clear();
                if (value.ListOrNull is { } list)
                {
                    foreach (var item in list)
                    {
                        perRecord.Add(EngineValue.FromString(item));
                    }
                }
                else
                {
                    perRecord.Add(value);
                }

                foreach (var item in perRecord)
                {
                    counts[item] = counts.GetValueOrDefault(item) + 1;
                }
            }
        }

        var meta = st.Metadata;
        Dictionary<string, IReadOnlyDictionary<EngineValue, int>> actual;
        int records;
        lock (meta.Gate)
        {
            actual = meta.ValueCounts();
            records = meta.Records;
        }

        if (records != live)
        {
            problems.Add("metadata-postings", "the postings count another number of live records", $"{records} in the postings, {live} live slots");
        }

        foreach (var (field, counts) in expected)
        {
            actual.TryGetValue(field, out var indexed);
            foreach (var (value, count) in counts)
            {
                int found = indexed is not null && indexed.TryGetValue(value, out int c) ? c : 0;
                if (found != count)
                {
                    problems.Add("metadata-postings", "a value's posting count differs from a recount", $"{field}={value}: {found} posted, {count} counted");
                }
            }
        }

        foreach (var (field, indexed) in actual)
        {
            expected.TryGetValue(field, out var counts);
            foreach (var (value, count) in indexed)
            {
                if (count > 0 && (counts is null || !counts.ContainsKey(value)))
                {
                    problems.Add("metadata-postings", "a posting names a value no live record holds", $"{field}={value}: {count} posted");
                }
            }
        }
    }

    private static void CheckLinks(IndexState st, int n, Problems problems)
    {
        var seen = new int[n];
        int stamp = 0;
        for (int slot = 0; slot < n; slot++)
        {
            int level = st.Level(slot);
            if (st.UpperLength(slot) != level * st.UpperStride)
            {
                problems.Add("level", "a node's upper-layer lists do not match its level", $"slot {slot} level {level}");
                continue;
            }

            for (int layer = 0; layer <= level; layer++)
            {
                int cap = layer == 0 ? st.MaxM0 : st.M;
                int* block = st.Links(slot, layer);
                int count = block[0];
                if (count < 0 || count > cap)
                {
                    problems.Add("degree", "a link list holds more than its layer allows", $"slot {slot} layer {layer}: {count} > {cap}");
                    count = Math.Clamp(count, 0, cap);
                }

                stamp++;
                for (int i = 1; i <= count; i++)
                {
                    int neighbour = block[i];
                    if (neighbour < 0 || neighbour >= n)
                    {
                        problems.Add("link-range", "a link points outside the allocated slots", $"slot {slot} layer {layer} -> {neighbour}");
                        continue;
                    }

                    if (neighbour == slot)
                    {
                        problems.Add("self-link", "a node links to itself", $"slot {slot} layer {layer}");
                    }
                    else if (seen[neighbour] == stamp)
                    {
                        problems.Add("duplicate-link", "a list holds the same neighbour twice", $"slot {slot} layer {layer} -> {neighbour}");
                    }
                    else if (st.Level(neighbour) < layer)
                    {
                        problems.Add("level", "a link on a layer reaches a node below that layer", $"slot {slot} layer {layer} -> {neighbour} (level {st.Level(neighbour)})");
                    }

                    seen[neighbour] = stamp;
                }
            }
        }
    }

    private static bool CheckEntry(IndexState st, int n, Problems problems)
    {
        long entry = st.Entry;
        if (n == 0)
        {
            if (entry != -1)
            {
                problems.Add("entry-point", "an empty graph has an entry point", $"{entry}");
            }

            return false;
        }

        int top = 0;
        for (int slot = 0; slot < n; slot++)
        {
            top = Math.Max(top, st.Level(slot));
        }

        int entrySlot = (int)entry;
        int entryLevel = (int)(entry >> 32);
        if (entry == -1 || entrySlot < 0 || entrySlot >= n)
        {
            problems.Add("entry-point", "the entry point is not a slot", $"{entrySlot} of {n}");
            return false;
        }

        if (entryLevel != top || st.Level(entrySlot) != top)
        {
            problems.Add("entry-point", "the entry point is not on the top level", $"slot {entrySlot} at level {st.Level(entrySlot)} (recorded {entryLevel}), top level {top}");
        }

        return true;
    }

    private static int CountUnreachable(IndexState st, int n, Problems problems)
    {
        // Tombstones are walked through, as searches do; only live nodes must be reached.
        var reached = new bool[n];
        var queue = new int[n];
        int head = 0;
        int tail = 0;
        int entry = (int)st.Entry;
        reached[entry] = true;
        queue[tail++] = entry;
        while (head < tail)
        {
            int* block = st.Links(queue[head++], 0);
            int count = Math.Clamp(block[0], 0, st.MaxM0);
            for (int i = 1; i <= count; i++)
            {
                int next = block[i];
                if ((uint)next < (uint)n && !reached[next])
                {
                    reached[next] = true;
                    queue[tail++] = next;
                }
            }
        }

        int unreachable = 0;
        for (int slot = 0; slot < n; slot++)
        {
            if (!reached[slot] && !st.IsTombstone(slot))
            {
                unreachable++;
                problems.Add("reachability", "a live record cannot be reached on layer 0 from the entry point (RepairGraph fixes this)", $"slot {slot} '{st.Key(slot)}'");
            }
        }

        return unreachable;
    }

    private sealed class Problems
    {
        private readonly Dictionary<string, (string Description, long Count, List<string> Examples)> _byCheck = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];

        public void Add(string check, string description, string example)
        {
            if (!_byCheck.TryGetValue(check, out var entry))
            {
                entry = (description, 0, []);
                _order.Add(check);
            }

            if (entry.Examples.Count < MaxExamples)
            {
                entry.Examples.Add(example);
            }

            _byCheck[check] = (entry.Description, entry.Count + 1, entry.Examples);
        }

        public List<IntegrityProblem> ToList()
        {
            var list = new List<IntegrityProblem>(_order.Count);
            foreach (var check in _order)
            {
                var (description, count, examples) = _byCheck[check];
                list.Add(new IntegrityProblem(check, description, count, examples));
            }

            return list;
        }
    }
}
