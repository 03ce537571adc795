using FsCheck;
using FsCheck.Fluent;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;

namespace Theodore.Adapters.Native.Tests;

public sealed class NativeMapperFilterTests
{
    [Fact]
    public void ToEngine_random_filters_on_random_metadata_agree_with_the_core_evaluator()
    {
        var cases =
            from filter in Generators.Filter
            from records in Gen.ArrayOf(Generators.Metadata, 12)
            select (filter, records);

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(1000),
            Prop.ForAll(cases.ToArbitrary(), c =>
            {
                var translated = NativeMapper.ToEngine(c.filter);
                return c.records.All(m => translated.Evaluate(NativeMapper.ToEngine(m)) == FilterEvaluator.Matches(c.filter, m))
                    .Label($"filter {Describe(c.filter)}");
            }));
    }

    [Theory]
    [InlineData("xy", true)]
    [InlineData("x", false)]
    public void ToEngine_contains_on_a_list_means_membership_not_a_substring_of_an_element(string text, bool expected)
    {
        var metadata = Metadata.Create([new("tags", MetadataValue.FromStrings(["xy", "z"]))]);

        var matches = NativeMapper.ToEngine(Filter.Contains("tags", text)).Evaluate(NativeMapper.ToEngine(metadata));

        Assert.Equal(expected, matches);
        Assert.Equal(FilterEvaluator.Matches(Filter.Contains("tags", text), metadata), matches);
    }

    [Fact]
    public void ToEngine_ne_and_nin_match_records_without_the_field()
    {
        var empty = NativeMapper.ToEngine(Metadata.Empty);

        Assert.True(NativeMapper.ToEngine(Filter.Ne("a", "x")).Evaluate(empty));
        Assert.True(NativeMapper.ToEngine(Filter.NotIn("a", "x", 1)).Evaluate(empty));
        Assert.False(NativeMapper.ToEngine(Filter.Eq("a", "x")).Evaluate(empty));
        Assert.True(NativeMapper.ToEngine(Filter.Exists("a", exists: false)).Evaluate(empty));
    }

    private static string Describe(FilterExpression filter) => filter switch
    {
        FieldFilter f => $"{f.Field} {f.Operator} {f.Value}{(f.Values is null ? string.Empty : "[" + string.Join(",", f.Values) + "]")}",
        AndFilter a => "and(" + string.Join(", ", a.Clauses.Select(Describe)) + ")",
        OrFilter o => "or(" + string.Join(", ", o.Clauses.Select(Describe)) + ")",
        NotFilter n => "not(" + Describe(n.Clause) + ")",
        _ => filter.ToString()!,
    };
}
