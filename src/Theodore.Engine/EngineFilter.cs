using Theodore.Engine.Filtering;

namespace Theodore.Engine;

/// <summary>
/// A predicate over a record's metadata, evaluated per node during the graph walk. Comparisons
/// against a string-list field hold when any element satisfies them; a missing field satisfies
/// only <see cref="Ne"/>, <see cref="NotIn"/> and negations. Strings compare ordinally; range
/// operators compare numbers with numbers and strings with strings, and are false across kinds.
/// The engine estimates selectivity from its (field, value) counts to choose between the graph
/// and an exact scan of the matching records.
/// </summary>
public abstract class EngineFilter
{
    private protected EngineFilter()
    {
    }

    public static EngineFilter Eq(string field, EngineValue value) => new FieldFilter(FieldOperator.Eq, field, Scalar(value));

    /// <summary>Not equal; true when the field is missing (the negation of <see cref="Eq"/>).</summary>
    public static EngineFilter Ne(string field, EngineValue value) => new NotFilter(Eq(field, value));

    public static EngineFilter Gt(string field, EngineValue value) => new FieldFilter(FieldOperator.Gt, field, Scalar(value));

    public static EngineFilter Gte(string field, EngineValue value) => new FieldFilter(FieldOperator.Gte, field, Scalar(value));

    public static EngineFilter Lt(string field, EngineValue value) => new FieldFilter(FieldOperator.Lt, field, Scalar(value));

    public static EngineFilter Lte(string field, EngineValue value) => new FieldFilter(FieldOperator.Lte, field, Scalar(value));

    public static EngineFilter In(string field, IEnumerable<EngineValue> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var list = values.Select(Scalar).ToArray();
        return new InFilter(field, list);
    }

    /// <summary>True when the field is missing or equals none of the values.</summary>
    public static EngineFilter NotIn(string field, IEnumerable<EngineValue> values) => new NotFilter(In(field, values));

    /// <summary>A string field containing the text (ordinal substring), or a list field with an element equal to it.</summary>
    public static EngineFilter Contains(string field, string text) => new FieldFilter(FieldOperator.Contains, field, EngineValue.FromString(text));

    public static EngineFilter StartsWith(string field, string prefix) => new FieldFilter(FieldOperator.StartsWith, field, EngineValue.FromString(prefix));

    public static EngineFilter EndsWith(string field, string suffix) => new FieldFilter(FieldOperator.EndsWith, field, EngineValue.FromString(suffix));

    public static EngineFilter Exists(string field) => new FieldFilter(FieldOperator.Exists, field, default);

    public static EngineFilter And(params IEnumerable<EngineFilter> filters) => new AndFilter(Children(filters));

    public static EngineFilter Or(params IEnumerable<EngineFilter> filters) => new OrFilter(Children(filters));

    public static EngineFilter Not(EngineFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return new NotFilter(filter);
    }

    /// <summary>
    /// Any predicate over the metadata (never null; empty when a record has none). Without an
    /// estimate the planner assumes it matches half of the records.
    /// </summary>
    public static EngineFilter Predicate(Func<IReadOnlyDictionary<string, EngineValue>, bool> predicate, double? estimatedFraction = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        if (estimatedFraction is { } f && (double.IsNaN(f) || f < 0 || f > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(estimatedFraction), f, "The estimate is a fraction in [0, 1].");
        }

        return new PredicateFilter(predicate, estimatedFraction ?? 0.5);
    }

    /// <summary>Evaluates the filter against one metadata dictionary.</summary>
    public bool Evaluate(IReadOnlyDictionary<string, EngineValue> metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return Matches(metadata);
    }

    internal abstract bool Matches(IReadOnlyDictionary<string, EngineValue> metadata);

    /// <summary>Expected number of matching live records; the caller holds the index's lock.</summary>
    internal abstract double EstimateMatches(MetadataIndex index);

    /// <summary>Whether <see cref="TryCollect"/> can name the candidates from the postings.</summary>
    internal virtual bool CanCollect => false;

    /// <summary>Whether the collected candidates are exactly the matches (no re-check needed).</summary>
    internal virtual bool CollectsExactly => false;

    /// <summary>
    /// Adds a superset of the matching slots (possibly with duplicates and tombstones) from the
    /// postings; false when this filter cannot name its candidates. The caller holds the lock.
    /// </summary>
    internal virtual bool TryCollect(MetadataIndex index, List<int> sink) => false;

    private static EngineValue Scalar(EngineValue value) =>
        value.Kind == EngineValueKind.TextList || value.IsMissing
            ? throw new ArgumentException("A filter compares against one value, not a list or a default value.", nameof(value))
            : value;

    private static EngineFilter[] Children(IEnumerable<EngineFilter> filters)
    {
        ArgumentNullException.ThrowIfNull(filters);
        var array = filters.ToArray();
        if (array.Length == 0)
        {
            throw new ArgumentException("At least one clause is required.", nameof(filters));
        }

        foreach (var child in array)
        {
            ArgumentNullException.ThrowIfNull(child, nameof(filters));
        }

        return array;
    }
}
