using FsCheck;
using FsCheck.Fluent;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;

namespace Theodore.Core.Tests.Domain.Filtering;

/// <summary>
/// Filters and metadata drawn from a small shared vocabulary, so random filters actually hit random records
/// (both matches and misses), and trees stay within <see cref="FilterLimits"/>.
/// </summary>
internal static class FilterGenerators
{
    public static readonly string[] Fields = ["industry", "founded", "tags", "country", "public"];

    public static Gen<string> Text() => Gen.Elements("fintech", "insurtech", "fin", "tech", "Fintech", "DE", "FR", "", "b2b", "über");

    public static Gen<double> Number() => Gen.OneOf(Gen.Choose(2008, 2022).Select(i => (double)i), Gen.Elements(0.0, -1.5, 3.25, 2015.5));

    public static Gen<MetadataValue> Scalar() =>
        Gen.OneOf(
            Text().Select(MetadataValue.FromString),
            Number().Select(MetadataValue.FromNumber),
            Gen.Elements(MetadataValue.True, MetadataValue.False));

    public static Gen<MetadataValue> AnyValue() =>
        Gen.OneOf(Scalar(), Gen.Choose(0, 3).SelectMany(n => Gen.ListOf(Text(), n)).Select(l => MetadataValue.FromStrings(l)));

    public static Gen<Metadata> Metadata() =>
        from present in Gen.ArrayOf(Gen.Elements(true, true, false), Fields.Length)
        from values in Gen.ArrayOf(AnyValue(), Fields.Length)
        select Core.Domain.Metadata.Create(Fields
            .Select((field, i) => (field, i))
            .Where(t => present[t.i])
            .Select(t => KeyValuePair.Create(t.field, values[t.i])));

    public static Gen<FieldFilter> Leaf() =>
        from field in Gen.Elements(Fields)
        from op in Gen.Elements(Enum.GetValues<FilterOperator>())
        from leaf in LeafFor(field, op)
        select leaf;

    public static Gen<FieldFilter> LeafFor(string field, FilterOperator op) => op switch
    {
        FilterOperator.Eq or FilterOperator.Ne => Scalar().Select(v => new FieldFilter(field, op, v)),
        FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte =>
            Number().Select(n => new FieldFilter(field, op, MetadataValue.FromNumber(n))),
        FilterOperator.In or FilterOperator.NotIn =>
            Gen.Choose(1, 4).SelectMany(n => Gen.ListOf(Scalar(), n)).Select(l => new FieldFilter(field, op, null, l.ToArray())),
        FilterOperator.Exists => Gen.Elements(MetadataValue.True, MetadataValue.False).Select(v => new FieldFilter(field, op, v)),
        _ => Text().Select(t => new FieldFilter(field, op, MetadataValue.FromString(t))),
    };

    /// <summary>Trees of at most <paramref name="depth"/> logical levels and at most 3 clauses per group.</summary>
    public static Gen<FilterExpression> Tree(int depth = 4)
    {
        var tree = Leaf().Select(l => (FilterExpression)l);
        for (var level = 0; level < depth; level++)
        {
            var below = tree;
            var clauses = Gen.Choose(1, 3).SelectMany(n => Gen.ListOf(below, n)).Select(l => (IReadOnlyList<FilterExpression>)l.ToArray());
            tree = Gen.Frequency(
                (3, below),
                (2, clauses.Select(c => (FilterExpression)new AndFilter(c))),
                (2, clauses.Select(c => (FilterExpression)new OrFilter(c))),
                (1, below.Select(c => (FilterExpression)new NotFilter(c))));
        }

        return tree;
    }
}
