using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;

namespace Theodore.Core.Tests.Domain.Filtering;

public sealed class FilterJsonTests
{
    [Theory]
    [InlineData("""{"f":{"$eq":"x"}}""", FilterOperator.Eq)]
    [InlineData("""{"f":{"$eq":3.5}}""", FilterOperator.Eq)]
    [InlineData("""{"f":{"$eq":true}}""", FilterOperator.Eq)]
    [InlineData("""{"f":{"$ne":"x"}}""", FilterOperator.Ne)]
    [InlineData("""{"f":{"$gt":2015}}""", FilterOperator.Gt)]
    [InlineData("""{"f":{"$gte":-1.5}}""", FilterOperator.Gte)]
    [InlineData("""{"f":{"$lt":0}}""", FilterOperator.Lt)]
    [InlineData("""{"f":{"$lte":1E+21}}""", FilterOperator.Lte)]
    [InlineData("""{"f":{"$in":["a",1,false]}}""", FilterOperator.In)]
    [InlineData("""{"f":{"$nin":["a"]}}""", FilterOperator.NotIn)]
    [InlineData("""{"f":{"$contains":"tech"}}""", FilterOperator.Contains)]
    [InlineData("""{"f":{"$starts_with":"fin"}}""", FilterOperator.StartsWith)]
    [InlineData("""{"f":{"$ends_with":"tech"}}""", FilterOperator.EndsWith)]
    [InlineData("""{"f":{"$exists":false}}""", FilterOperator.Exists)]
    public void Parse_each_operator_gives_its_field_filter(string json, FilterOperator op)
    {
        var filter = Assert.IsType<FieldFilter>(FilterJson.Parse(json));

        Assert.Equal("f", filter.Field);
        Assert.Equal(op, filter.Operator);
        Assert.Equal(json, FilterJson.ToJson(filter));
    }

    [Fact]
    public void Parse_in_keeps_values_in_order_with_their_types()
    {
        var filter = Assert.IsType<FieldFilter>(FilterJson.Parse("""{"f":{"$in":["a",1,false]}}"""));

        Assert.Null(filter.Value);
        Assert.Equal([MetadataValue.FromString("a"), MetadataValue.FromNumber(1), MetadataValue.False], filter.Values!);
    }

    [Theory]
    [InlineData("""{"country":"DE"}""", """{"country":{"$eq":"DE"}}""")]
    [InlineData("""{"founded":2015}""", """{"founded":{"$eq":2015}}""")]
    [InlineData("""{"public":true}""", """{"public":{"$eq":true}}""")]
    public void Parse_bare_value_means_eq(string json, string canonical)
    {
        var filter = Assert.IsType<FieldFilter>(FilterJson.Parse(json));

        Assert.Equal(FilterOperator.Eq, filter.Operator);
        Assert.Equal(canonical, FilterJson.ToJson(filter));
    }

    [Fact]
    public void Parse_several_keys_are_joined_by_and_in_order()
    {
        var filter = Assert.IsType<AndFilter>(FilterJson.Parse("""{"a":1,"b":"x","c":{"$exists":true}}"""));

        Assert.Equal(["a", "b", "c"], filter.Clauses.Cast<FieldFilter>().Select(f => f.Field), StringComparer.Ordinal);
    }

    [Fact]
    public void Parse_several_operators_on_one_field_are_joined_by_and()
    {
        var filter = Assert.IsType<AndFilter>(FilterJson.Parse("""{"founded":{"$gte":2010,"$lt":2020}}"""));

        Assert.Equal([FilterOperator.Gte, FilterOperator.Lt], filter.Clauses.Cast<FieldFilter>().Select(f => f.Operator));
    }

    [Fact]
    public void Parse_logical_operators_build_their_nodes()
    {
        var filter = FilterJson.Parse("""{"$and":[{"$or":[{"a":1},{"b":2}]},{"$not":{"c":3}}]}""");

        var and = Assert.IsType<AndFilter>(filter);
        var or = Assert.IsType<OrFilter>(and.Clauses[0]);
        Assert.Equal(2, or.Clauses.Count);
        var not = Assert.IsType<NotFilter>(and.Clauses[1]);
        Assert.Equal("c", Assert.IsType<FieldFilter>(not.Clause).Field);
    }

    [Fact]
    public void Parse_single_clause_group_keeps_the_group()
    {
        var or = Assert.IsType<OrFilter>(FilterJson.Parse("""{"$or":[{"a":1}]}"""));

        Assert.Single(or.Clauses);
    }

    [Fact]
    public void Parse_readme_example_means_what_it_says()
    {
        var filter = FilterJson.Parse("""{"industry":{"$in":["fintech","insurtech"]},"founded":{"$gte":2015},"$or":[{"country":"DE"},{"country":"FR"}]}""");

        var and = Assert.IsType<AndFilter>(filter);
        Assert.Equal(3, and.Clauses.Count);
        Assert.Equal(FilterOperator.In, Assert.IsType<FieldFilter>(and.Clauses[0]).Operator);
        Assert.Equal(FilterOperator.Gte, Assert.IsType<FieldFilter>(and.Clauses[1]).Operator);
        Assert.Equal(2, Assert.IsType<OrFilter>(and.Clauses[2]).Clauses.Count);

        Assert.True(FilterEvaluator.Matches(filter, Company("fintech", 2016, "DE")));
        Assert.True(FilterEvaluator.Matches(filter, Company("insurtech", 2015, "FR")));
        Assert.False(FilterEvaluator.Matches(filter, Company("fintech", 2014, "DE")));
        Assert.False(FilterEvaluator.Matches(filter, Company("healthtech", 2020, "DE")));
        Assert.False(FilterEvaluator.Matches(filter, Company("fintech", 2020, "US")));
    }

    [Fact]
    public void Parse_json_element_with_custom_path_names_that_path()
    {
        using var document = JsonDocument.Parse("""{"query":{"filter":{"a":{"$regex":"x"}}}}""");

        Expect.FilterErrorAt(() => FilterJson.Parse(document.RootElement.GetProperty("query").GetProperty("filter"), "query.filter"), "query.filter.a.$regex");
    }

    [Fact]
    public void ToJson_writes_groups_and_not_explicitly()
    {
        var filter = Filter.And(Filter.Eq("industry", "fintech"), Filter.Not(Filter.Or(Filter.Lt("founded", 2000), Filter.In("country", "US", "CN"))));

        Assert.Equal(
            """{"$and":[{"industry":{"$eq":"fintech"}},{"$not":{"$or":[{"founded":{"$lt":2000}},{"country":{"$in":["US","CN"]}}]}}]}""",
            FilterJson.ToJson(filter));
    }

    [Fact]
    public void ToJson_then_Parse_evaluates_identically_and_is_stable()
    {
        var gen = Gen.Zip(FilterGenerators.Tree(), Gen.ListOf(FilterGenerators.Metadata(), 8));

        PropertyCheck.ForAll(gen.ToArbitrary(), t =>
        {
            var (filter, records) = t;
            var json = FilterJson.ToJson(filter);
            var parsed = FilterJson.Parse(json);
            return FilterJson.ToJson(parsed) == json
                && records.All(m => FilterEvaluator.Matches(parsed, m) == FilterEvaluator.Matches(filter, m));
        });
    }

    [Fact]
    public void OperatorName_names_every_operator_as_the_parser_reads_it()
    {
        foreach (var op in Enum.GetValues<FilterOperator>())
        {
            var sample = FilterGenerators.LeafFor("f", op).Sample(1, 1)[0];
            var parsed = Assert.IsType<FieldFilter>(FilterJson.Parse(FilterJson.ToJson(sample)));
            Assert.Equal(op, parsed.Operator);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => FilterJson.OperatorName((FilterOperator)99));
    }

    private static Metadata Company(string industry, int founded, string country) =>
        Metadata.Create([
            KeyValuePair.Create("industry", (MetadataValue)industry),
            KeyValuePair.Create("founded", (MetadataValue)founded),
            KeyValuePair.Create("country", (MetadataValue)country),
        ]);
}
