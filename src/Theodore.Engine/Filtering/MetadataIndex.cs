namespace Theodore.Engine.Filtering;

/// <summary>
/// (field, value) -> slots postings and counts over live records, for the filter planner's
/// selectivity estimates, the exact path's candidate lists and the stats endpoint. String lists
/// are indexed per element. Guarded by <see cref="Gate"/>: writers hold it for one record's update,
/// searches only while they plan or copy a posting list.
/// </summary>
internal sealed class MetadataIndex
{
    // Above this many distinct values a range estimate stops scanning and guesses.
    private const int EstimateScanLimit = 4_096;

    private readonly Dictionary<string, FieldPostings> _fields = new(StringComparer.Ordinal);
    private long _bytes;

    public Lock Gate { get; } = new();

    /// <summary>Live records, with or without metadata.</summary>
    public int Records { get; private set; }

    public long ApproximateBytes => Volatile.Read(ref _bytes);

    public void Add(int slot, IReadOnlyDictionary<string, EngineValue> metadata)
    {
        Records++;
        foreach (var (field, value) in metadata)
        {
            if (!_fields.TryGetValue(field, out var postings))
            {
                postings = new FieldPostings();
                _fields.Add(field, postings);
                _bytes += 64 + (2L * field.Length);
            }

            postings.Present++;
            if (value.ListOrNull is { } list)
            {
                foreach (var item in list)
                {
                    _bytes += postings.Add(EngineValue.FromString(item), slot);
                }
            }
            else
            {
                _bytes += postings.Add(value, slot);
            }
        }
    }

    public void Remove(int slot, IReadOnlyDictionary<string, EngineValue> metadata)
    {
        Records--;
        foreach (var (field, value) in metadata)
        {
            if (!_fields.TryGetValue(field, out var postings))
            {
                continue;
            }

            postings.Present--;
            if (value.ListOrNull is { } list)
            {
                foreach (var item in list)
                {
                    _bytes -= postings.Remove(EngineValue.FromString(item), slot);
                }
            }
            else
            {
                _bytes -= postings.Remove(value, slot);
            }

            if (postings.Present == 0)
            {
                _fields.Remove(field);
                _bytes -= 64 + (2L * field.Length);
            }
        }
    }

    public int Present(string field) => _fields.TryGetValue(field, out var p) ? p.Present : 0;

    public int Count(string field, EngineValue value) =>
        _fields.TryGetValue(field, out var p) && p.Values.TryGetValue(value, out var slots) ? slots.Count : 0;

    /// <summary>Records whose value passes <paramref name="filter"/>, by scanning the distinct values.</summary>
    public double SumCounts(string field, FieldFilter filter)
    {
        if (!_fields.TryGetValue(field, out var p))
        {
            return 0;
        }

        if (p.Values.Count > EstimateScanLimit)
        {
            return p.Present * 0.5;
        }

        double sum = 0;
        foreach (var (value, slots) in p.Values)
        {
            if (filter.Test(value))
            {
                sum += slots.Count;
            }
        }

        return Math.Min(sum, p.Present);
    }

    /// <summary>Adds the postings of every value of the field that passes the filter; false when there are too many values to scan.</summary>
    public bool AddMatchingPostings(string field, FieldFilter filter, List<int> sink)
    {
        if (!_fields.TryGetValue(field, out var p))
        {
            return true;
        }

        if (p.Values.Count > EstimateScanLimit)
        {
            return false;
        }

        foreach (var (value, slots) in p.Values)
        {
            if (filter.Test(value))
            {
                sink.AddRange(slots);
            }
        }

        return true;
    }

    public void AddPostings(string field, EngineValue value, List<int> sink)
    {
        if (_fields.TryGetValue(field, out var p) && p.Values.TryGetValue(value, out var slots))
        {
            sink.AddRange(slots);
        }
    }

    public Dictionary<string, IReadOnlyDictionary<EngineValue, int>> ValueCounts()
    {
        var result = new Dictionary<string, IReadOnlyDictionary<EngineValue, int>>(_fields.Count, StringComparer.Ordinal);
        foreach (var (field, p) in _fields)
        {
            var counts = new Dictionary<EngineValue, int>(p.Values.Count);
            foreach (var (value, slots) in p.Values)
            {
                counts.Add(value, slots.Count);
            }

            result.Add(field, counts);
        }

        return result;
    }

    private sealed class FieldPostings
    {
        public int Present;

        public Dictionary<EngineValue, HashSet<int>> Values { get; } = [];

        // Returns the bytes added, roughly: a set per distinct value, ~16 bytes per posting.
        public long Add(EngineValue value, int slot)
        {
            long bytes = 16;
            if (!Values.TryGetValue(value, out var slots))
            {
                slots = [];
                Values.Add(value, slots);
                bytes += 128 + (value.TextOrNull is { } t ? 2L * t.Length : 0);
            }

            slots.Add(slot);
            return bytes;
        }

        public long Remove(EngineValue value, int slot)
        {
            if (!Values.TryGetValue(value, out var slots) || !slots.Remove(slot))
            {
                return 0;
            }

            long bytes = 16;
            if (slots.Count == 0)
            {
                Values.Remove(value);
                bytes += 128 + (value.TextOrNull is { } t ? 2L * t.Length : 0);
            }

            return bytes;
        }
    }
}
