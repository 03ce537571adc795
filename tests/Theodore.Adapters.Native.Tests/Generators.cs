using FsCheck;
using FsCheck.Fluent;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;

namespace Theodore.Adapters.Native.Tests;

/// <summary>
/// Random metadata and filters over a small vocabulary, so that equality, prefixes, substrings, list membership,
/// signed zeros and missing fields collide often enough to matter.
/// </summary>
internal static class Generators
{
    public static readonly string[] Fields = ["a", "b", "c", "d"];

    private static readonly string[] Strings = ["", "x", "y", "xy", "yx", "xyz"];

    private static readonly double[] Numbers = [-1, -0.0, 0, 0.5, 1, 2];

    public static Gen<MetadataValue> Scalar { get; } = Gen.OneOf(
        Gen.Elements(Strings).Select(static s => MetadataValue.FromString(s)),
        Gen.Elements(Numbers).Select(static n => MetadataValue.FromNumber(n)),
        Gen.Elements(true, false).Select(static b => MetadataValue.FromBoolean(b)));

    public static Gen<MetadataValue> Value { get; } = Gen.Frequency(
        (3, Scalar),
        (1, Gen.Choose(0, 3).SelectMany(static n => Gen.ArrayOf(Gen.Elements(Strings), n)).Select(static l => MetadataValue.FromStrings(l))));

    public static Gen<Metadata> Metadata { get; } =
        Gen.CollectToArray(Fields, static field => Gen.OneOf(Gen.Constant<MetadataValue?>(null), Value.Select(static v => (MetadataValue?)v)))
            .Select(static values => Core.Domain.Metadata.Create(
                Fields.Zip(values).Where(static p => p.Second is not null).Select(static p => new KeyValuePair<string, MetadataValue>(p.First, p.Second!))));

    public static Gen<FilterExpression> Filter { get; } = Gen.Sized(static size => FilterOfDepth(Math.Min(3, size / 10)));

    private static Gen<FilterExpression> Field { get; } =
        from field in Gen.Elements(Fields)
        from op in Gen.Elements(Enum.GetValues<FilterOperator>())
        from filter in Leaf(field, op)
        select filter;

    private static Gen<FilterExpression> Leaf(string field, FilterOperator op) => op switch
    {
        FilterOperator.Eq or FilterOperator.Ne => Scalar.Select(v => (FilterExpression)new FieldFilter(field, op, v)),
        FilterOperator.In or FilterOperator.NotIn => Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(Scalar, n))
            .Select(values => (FilterExpression)new FieldFilter(field, op, null, values)),
        FilterOperator.Gt or FilterOperator.Gte or FilterOperator.Lt or FilterOperator.Lte =>
            Gen.Elements(Numbers).Select(n => (FilterExpression)new FieldFilter(field, op, MetadataValue.FromNumber(n))),
        FilterOperator.Exists => Gen.Elements(true, false).Select(b => (FilterExpression)new FieldFilter(field, op, MetadataValue.FromBoolean(b))),
        _ => Gen.Elements(Strings).Select(s => (FilterExpression)new FieldFilter(field, op, MetadataValue.FromString(s))),
    };

    private static Gen<FilterExpression> FilterOfDepth(int depth)
    {
        if (depth == 0)
        {
            return Field;
        }

        var child = FilterOfDepth(depth - 1);
        return Gen.Frequency(
            (3, Field),
            (1, Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(child, n)).Select(static c => (FilterExpression)new AndFilter(c))),
            (1, Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(child, n)).Select(static c => (FilterExpression)new OrFilter(c))),
            (1, child.Select(static c => (FilterExpression)new NotFilter(c))));
    }
}
