using FsCheck;
using FsCheck.Fluent;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;

namespace Theodore.Core.Tests.Domain.Filtering;

public sealed class FilterEvaluatorTests
{
    private static readonly Metadata Acme = Metadata.Create([
        KeyValuePair.Create("industry", (MetadataValue)"fintech"),
        KeyValuePair.Create("founded", (MetadataValue)2015),
        KeyValuePair.Create("public", (MetadataValue)true),
        KeyValuePair.Create("tags", (MetadataValue)new[] { "b2b", "payments", "SaaS" }),
    ]);

    [Theory]
    [InlineData("industry", "fintech", true)]
    [InlineData("industry", "Fintech", false)]
    [InlineData("industry", "fin", false)]
    [InlineData("country", "fintech", false)]
    public void Eq_on_string_is_ordinal_equality(string field, string value, bool expected)
    {
        Assert.Equal(expected, Matches(Filter.Eq(field, value)));
    }

    [Fact]
    public void Eq_on_number_compares_by_value()
    {
        Assert.True(Matches(Filter.Eq("founded", 2015)));
        Assert.True(Matches(Filter.Eq("founded", 2015.0)));
        Assert.False(Matches(Filter.Eq("founded", 2016)));
    }

    [Fact]
    public void Eq_on_boolean_compares_booleans()
    {
        Assert.True(Matches(Filter.Eq("public", true)));
        Assert.False(Matches(Filter.Eq("public", false)));
    }

    [Fact]
    public void Eq_never_converts_between_types()
    {
        Assert.False(Matches(Filter.Eq("founded", "2015")));
        Assert.False(Matches(Filter.Eq("public", 1)));
        Assert.False(Matches(Filter.Eq("public", "true")));
    }

    [Fact]
    public void Eq_on_string_list_matches_any_element()
    {
        Assert.True(Matches(Filter.Eq("tags", "payments")));
        Assert.False(Matches(Filter.Eq("tags", "saas")));
        Assert.False(Matches(Filter.Eq("tags", "pay")));
    }

    [Fact]
    public void Ne_is_the_negation_of_eq_and_matches_a_missing_field()
    {
        Assert.False(Matches(Filter.Ne("industry", "fintech")));
        Assert.True(Matches(Filter.Ne("industry", "healthtech")));
        Assert.True(Matches(Filter.Ne("country", "DE")));
        Assert.False(Matches(Filter.Ne("tags", "b2b")));
        Assert.True(Matches(Filter.Ne("founded", "2015")));
    }

    [Fact]
    public void In_matches_when_any_value_equals_the_field()
    {
        Assert.True(Matches(Filter.In("industry", "insurtech", "fintech")));
        Assert.True(Matches(Filter.In("founded", 2014, 2015)));
        Assert.True(Matches(Filter.In("tags", "x", "SaaS")));
        Assert.False(Matches(Filter.In("industry", "insurtech", "Fintech")));
        Assert.False(Matches(Filter.In("country", "DE", "FR")));
    }

    [Fact]
    public void NotIn_is_the_negation_of_in_and_matches_a_missing_field()
    {
        Assert.False(Matches(Filter.NotIn("industry", "insurtech", "fintech")));
        Assert.True(Matches(Filter.NotIn("industry", "insurtech")));
        Assert.True(Matches(Filter.NotIn("country", "DE")));
        Assert.False(Matches(Filter.NotIn("tags", "b2b")));
    }

    [Fact]
    public void Range_operators_compare_numbers()
    {
        Assert.True(Matches(Filter.Gt("founded", 2014)));
        Assert.False(Matches(Filter.Gt("founded", 2015)));
        Assert.True(Matches(Filter.Gte("founded", 2015)));
        Assert.False(Matches(Filter.Gte("founded", 2015.5)));
        Assert.True(Matches(Filter.Lt("founded", 2016)));
        Assert.False(Matches(Filter.Lt("founded", 2015)));
        Assert.True(Matches(Filter.Lte("founded", 2015)));
        Assert.False(Matches(Filter.Lte("founded", 2014.99)));
    }

    [Fact]
    public void Range_operators_on_missing_or_non_numeric_fields_do_not_match()
    {
        foreach (var field in new[] { "industry", "public", "tags", "country" })
        {
            Assert.False(Matches(Filter.Gt(field, -1e300)), field);
            Assert.False(Matches(Filter.Gte(field, -1e300)), field);
            Assert.False(Matches(Filter.Lt(field, 1e300)), field);
            Assert.False(Matches(Filter.Lte(field, 1e300)), field);
        }
    }

    [Fact]
    public void Contains_on_string_is_a_case_sensitive_substring()
    {
        Assert.True(Matches(Filter.Contains("industry", "ntec")));
        Assert.True(Matches(Filter.Contains("industry", "fintech")));
        Assert.True(Matches(Filter.Contains("industry", string.Empty)));
        Assert.False(Matches(Filter.Contains("industry", "Tech")));
    }

    [Fact]
    public void Contains_on_string_list_is_element_membership()
    {
        Assert.True(Matches(Filter.Contains("tags", "payments")));
        Assert.False(Matches(Filter.Contains("tags", "pay")));
        Assert.False(Matches(Filter.Contains("tags", "saas")));
    }

    [Fact]
    public void Contains_on_missing_or_non_string_field_does_not_match()
    {
        Assert.False(Matches(Filter.Contains("country", "D")));
        Assert.False(Matches(Filter.Contains("founded", "2015")));
        Assert.False(Matches(Filter.Contains("public", "true")));
    }

    [Fact]
    public void StartsWith_and_EndsWith_test_strings_ordinally()
    {
        Assert.True(Matches(Filter.StartsWith("industry", "fin")));
        Assert.False(Matches(Filter.StartsWith("industry", "Fin")));
        Assert.False(Matches(Filter.StartsWith("industry", "tech")));
        Assert.True(Matches(Filter.EndsWith("industry", "tech")));
        Assert.False(Matches(Filter.EndsWith("industry", "fin")));
        Assert.False(Matches(Filter.EndsWith("industry", "TECH")));
    }

    [Fact]
    public void StartsWith_and_EndsWith_on_string_list_match_any_element()
    {
        Assert.True(Matches(Filter.StartsWith("tags", "pay")));
        Assert.True(Matches(Filter.EndsWith("tags", "aS")));
        Assert.False(Matches(Filter.StartsWith("tags", "x")));
    }

    [Fact]
    public void StartsWith_and_EndsWith_on_missing_or_non_string_field_do_not_match()
    {
        Assert.False(Matches(Filter.StartsWith("founded", "20")));
        Assert.False(Matches(Filter.EndsWith("country", "E")));
    }

    [Fact]
    public void Exists_true_matches_present_and_false_matches_absent_fields()
    {
        Assert.True(Matches(Filter.Exists("industry")));
        Assert.False(Matches(Filter.Exists("country")));
        Assert.False(Matches(Filter.Exists("industry", exists: false)));
        Assert.True(Matches(Filter.Exists("country", exists: false)));
    }

    [Fact]
    public void Logical_operators_combine_clauses()
    {
        var fintech = Filter.Eq("industry", "fintech");
        var old = Filter.Lt("founded", 2000);

        Assert.False(Matches(Filter.And(fintech, old)));
        Assert.True(Matches(Filter.Or(fintech, old)));
        Assert.True(Matches(Filter.And(fintech, Filter.Not(old))));
        Assert.False(Matches(Filter.Not(Filter.Or(fintech, old))));
        Assert.True(Matches(Filter.Or(old, Filter.And(fintech, Filter.Exists("tags")))));
    }

    [Fact]
    public void Matches_works_on_any_read_only_dictionary()
    {
        var plain = new Dictionary<string, MetadataValue>(StringComparer.Ordinal) { ["industry"] = "fintech" };

        Assert.True(FilterEvaluator.Matches(Filter.Eq("industry", "fintech"), plain));
    }

    [Fact]
    public void Not_matches_exactly_when_its_clause_does_not()
    {
        var gen = Gen.Zip(FilterGenerators.Tree(3), FilterGenerators.Metadata());

        PropertyCheck.ForAll(gen.ToArbitrary(), t =>
            FilterEvaluator.Matches(Filter.Not(t.Item1), t.Item2) == !FilterEvaluator.Matches(t.Item1, t.Item2));
    }

    [Fact]
    public void And_and_Or_follow_boolean_logic_over_their_clauses()
    {
        var gen = Gen.Zip(Gen.NonEmptyListOf(FilterGenerators.Leaf()), FilterGenerators.Metadata());

        PropertyCheck.ForAll(gen.ToArbitrary(), t =>
        {
            var (leaves, metadata) = t;
            var results = leaves.Select(l => FilterEvaluator.Matches(l, metadata)).ToList();
            return FilterEvaluator.Matches(new AndFilter(leaves.ToArray()), metadata) == results.All(r => r)
                && FilterEvaluator.Matches(new OrFilter(leaves.ToArray()), metadata) == results.Any(r => r);
        });
    }

    [Fact]
    public void Ne_and_NotIn_are_the_exact_negations_of_Eq_and_In()
    {
        var gen = from field in Gen.Elements(FilterGenerators.Fields)
                  from values in Gen.NonEmptyListOf(FilterGenerators.Scalar())
                  from metadata in FilterGenerators.Metadata()
                  select (field, values: values.ToArray(), metadata);

        PropertyCheck.ForAll(gen.ToArbitrary(), t =>
            FilterEvaluator.Matches(Filter.Ne(t.field, t.values[0]), t.metadata) == !FilterEvaluator.Matches(Filter.Eq(t.field, t.values[0]), t.metadata)
            && FilterEvaluator.Matches(Filter.NotIn(t.field, t.values), t.metadata) == !FilterEvaluator.Matches(Filter.In(t.field, t.values), t.metadata)
            && FilterEvaluator.Matches(Filter.In(t.field, t.values), t.metadata) == t.values.Any(v => FilterEvaluator.Matches(Filter.Eq(t.field, v), t.metadata)));
    }

    [Fact]
    public void Range_operators_agree_with_each_other_on_numbers()
    {
        var gen = Gen.Zip(FilterGenerators.Number(), FilterGenerators.Number());

        PropertyCheck.ForAll(gen.ToArbitrary(), t =>
        {
            var metadata = Metadata.Create([KeyValuePair.Create("n", (MetadataValue)t.Item1)]);
            bool M(FilterExpression f) => FilterEvaluator.Matches(f, metadata);
            return M(Filter.Gte("n", t.Item2)) == (M(Filter.Gt("n", t.Item2)) || M(Filter.Eq("n", t.Item2)))
                && M(Filter.Lt("n", t.Item2)) == !M(Filter.Gte("n", t.Item2))
                && M(Filter.Lte("n", t.Item2)) == !M(Filter.Gt("n", t.Item2));
        });
    }

    private static bool Matches(FilterExpression filter) => FilterEvaluator.Matches(filter, Acme);
}
