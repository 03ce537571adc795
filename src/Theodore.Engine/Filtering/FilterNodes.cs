namespace Theodore.Engine.Filtering;

/// <summary>A comparison of one field against one scalar value.</summary>
internal sealed class FieldFilter : EngineFilter
{
    private readonly FieldOperator _op;
    private readonly string _field;
    private readonly EngineValue _value;

    public FieldFilter(FieldOperator op, string field, EngineValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        _op = op;
        _field = field;
        _value = value;
    }

    internal override bool Matches(IReadOnlyDictionary<string, EngineValue> metadata) =>
        metadata.TryGetValue(_field, out var stored) && Test(stored);

    internal override double EstimateMatches(MetadataIndex index)
    {
        if (_op == FieldOperator.Exists)
        {
            return index.Present(_field);
        }

        if (_op == FieldOperator.Eq)
        {
            return index.Count(_field, _value);
        }

        return index.SumCounts(_field, this);
    }

    // Postings are per value (list elements expanded), so the union over the matching values is
    // exactly the matching records; only too many distinct values makes this give up.
    // Exists cannot: a record whose list is empty holds the field but has no posting.
    internal override bool CanCollect => _op != FieldOperator.Exists;

    // Contains is a substring test on strings but element equality on lists, and the postings do
    // not know which a value came from: the collected set is a superset that needs the re-check.
    internal override bool CollectsExactly => _op != FieldOperator.Contains;

    internal override bool TryCollect(MetadataIndex index, List<int> sink)
    {
        if (_op == FieldOperator.Eq)
        {
            index.AddPostings(_field, _value, sink);
            return true;
        }

        return index.AddMatchingPostings(_field, this, sink);
    }

    /// <summary>Whether a stored value (a list is expanded by the caller or here) satisfies the comparison.</summary>
    internal bool Test(EngineValue stored)
    {
        if (_op == FieldOperator.Exists)
        {
            return true;
        }

        if (stored.ListOrNull is { } list)
        {
            if (_op == FieldOperator.Contains)
            {
                return Array.IndexOf(list, _value.TextOrNull) >= 0;
            }

            foreach (var item in list)
            {
                if (TestScalar(EngineValue.FromString(item)))
                {
                    return true;
                }
            }

            return false;
        }

        return TestScalar(stored);
    }

    private bool TestScalar(EngineValue stored)
    {
        switch (_op)
        {
            case FieldOperator.Eq:
                return stored.Equals(_value);
            case FieldOperator.Contains:
                return stored.TextOrNull is { } text && text.Contains(_value.TextOrNull!, StringComparison.Ordinal);
            case FieldOperator.StartsWith:
                return stored.TextOrNull is { } s && s.StartsWith(_value.TextOrNull!, StringComparison.Ordinal);
            case FieldOperator.EndsWith:
                return stored.TextOrNull is { } e && e.EndsWith(_value.TextOrNull!, StringComparison.Ordinal);
            default:
                int? order = CompareTo(stored);
                return order is { } c && _op switch
                {
                    FieldOperator.Gt => c > 0,
                    FieldOperator.Gte => c >= 0,
                    FieldOperator.Lt => c < 0,
                    _ => c <= 0,
                };
        }
    }

    private int? CompareTo(EngineValue stored)
    {
        if (stored.Kind == EngineValueKind.Number && _value.Kind == EngineValueKind.Number)
        {
            return stored.RawNumber.CompareTo(_value.RawNumber);
        }

        if (stored.Kind == EngineValueKind.Text && _value.Kind == EngineValueKind.Text)
        {
            return string.CompareOrdinal(stored.TextOrNull, _value.TextOrNull);
        }

        return null;
    }
}

/// <summary>Equality against any of several values.</summary>
internal sealed class InFilter : EngineFilter
{
    private readonly string _field;
    private readonly HashSet<EngineValue> _values;

    public InFilter(string field, EngineValue[] values)
    {
        ArgumentException.ThrowIfNullOrEmpty(field);
        _field = field;
        _values = [.. values];
    }

    internal override bool Matches(IReadOnlyDictionary<string, EngineValue> metadata)
    {
        if (!metadata.TryGetValue(_field, out var stored))
        {
            return false;
        }

        if (stored.ListOrNull is { } list)
        {
            foreach (var item in list)
            {
                if (_values.Contains(EngineValue.FromString(item)))
                {
                    return true;
                }
            }

            return false;
        }

        return _values.Contains(stored);
    }

    internal override double EstimateMatches(MetadataIndex index)
    {
        double sum = 0;
        foreach (var value in _values)
        {
            sum += index.Count(_field, value);
        }

        return Math.Min(sum, index.Present(_field));
    }

    internal override bool CanCollect => true;

    internal override bool CollectsExactly => true;

    internal override bool TryCollect(MetadataIndex index, List<int> sink)
    {
        foreach (var value in _values)
        {
            index.AddPostings(_field, value, sink);
        }

        return true;
    }
}

internal sealed class AndFilter(EngineFilter[] children) : EngineFilter
{
    internal override bool Matches(IReadOnlyDictionary<string, EngineValue> metadata)
    {
        foreach (var child in children)
        {
            if (!child.Matches(metadata))
            {
                return false;
            }
        }

        return true;
    }

    // Independence assumption: the product of the children's fractions.
    internal override double EstimateMatches(MetadataIndex index)
    {
        int records = index.Records;
        if (records == 0)
        {
            return 0;
        }

        double fraction = 1;
        foreach (var child in children)
        {
            fraction *= Math.Clamp(child.EstimateMatches(index) / records, 0, 1);
        }

        return fraction * records;
    }

    // The most selective collectable child names a superset; the caller re-checks the whole filter.
    internal override bool CanCollect => Array.Exists(children, c => c.CanCollect);

    internal override bool TryCollect(MetadataIndex index, List<int> sink)
    {
        // Try the collectable children from the most selective; a child may still decline.
        var order = new List<(double Estimate, EngineFilter Child)>(children.Length);
        foreach (var child in children)
        {
            if (child.CanCollect)
            {
                order.Add((child.EstimateMatches(index), child));
            }
        }

        order.Sort((x, y) => x.Estimate.CompareTo(y.Estimate));
        foreach (var (_, child) in order)
        {
            if (child.TryCollect(index, sink))
            {
                return true;
            }
        }

        return false;
    }
}

internal sealed class OrFilter(EngineFilter[] children) : EngineFilter
{
    internal override bool Matches(IReadOnlyDictionary<string, EngineValue> metadata)
    {
        foreach (var child in children)
        {
            if (child.Matches(metadata))
            {
                return true;
            }
        }

        return false;
    }

    internal override double EstimateMatches(MetadataIndex index)
    {
        double sum = 0;
        foreach (var child in children)
        {
            sum += child.EstimateMatches(index);
        }

        return Math.Min(sum, index.Records);
    }

    internal override bool CanCollect => Array.TrueForAll(children, c => c.CanCollect);

    internal override bool CollectsExactly => Array.TrueForAll(children, c => c.CollectsExactly);

    internal override bool TryCollect(MetadataIndex index, List<int> sink)
    {
        int start = sink.Count;
        foreach (var child in children)
        {
            if (!child.TryCollect(index, sink))
            {
                sink.RemoveRange(start, sink.Count - start);
                return false;
            }
        }

        return true;
    }
}

internal sealed class NotFilter(EngineFilter inner) : EngineFilter
{
    internal override bool Matches(IReadOnlyDictionary<string, EngineValue> metadata) => !inner.Matches(metadata);

    internal override double EstimateMatches(MetadataIndex index) =>
        Math.Max(0, index.Records - inner.EstimateMatches(index));
}

internal sealed class PredicateFilter(Func<IReadOnlyDictionary<string, EngineValue>, bool> predicate, double fraction) : EngineFilter
{
    internal override bool Matches(IReadOnlyDictionary<string, EngineValue> metadata) => predicate(metadata);

    internal override double EstimateMatches(MetadataIndex index) => fraction * index.Records;
}
