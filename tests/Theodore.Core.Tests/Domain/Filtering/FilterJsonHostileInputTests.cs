using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Domain.Filtering;

public sealed class FilterJsonHostileInputTests
{
    [Fact]
    public void Parse_unknown_operator_names_the_operator_path()
    {
        var ex = Expect.FilterErrorAt(() => FilterJson.Parse("""{"name":{"$regex":"^a"}}"""), "filter.name.$regex");

        Assert.Equal(ErrorCodes.InvalidFilter, ex.Code);
        Assert.Contains("unknown operator '$regex'", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_unknown_operator_deep_inside_names_the_full_path()
    {
        Expect.FilterErrorAt(() => FilterJson.Parse("""{"$or":[{"a":1},{"founded":{"$between":[1,2]}}]}"""), "filter.$or[1].founded.$between");
    }

    [Theory]
    [InlineData("""{"$nor":[{"a":1}]}""", "filter.$nor")]
    [InlineData("""{"$or":[{"$xor":[{"a":1}]}]}""", "filter.$or[0].$xor")]
    public void Parse_unknown_logical_operator_is_refused(string json, string path)
    {
        var ex = Expect.FilterErrorAt(() => FilterJson.Parse(json), path);

        Assert.Contains("unknown logical operator", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("$and")]
    [InlineData("$or")]
    [InlineData("$not")]
    public void Parse_nesting_8_levels_is_accepted(string op)
    {
        var filter = FilterJson.Parse(Nested(op, 8));

        Assert.Equal(8, LogicalDepth(filter));
    }

    [Theory]
    [InlineData("$and")]
    [InlineData("$or")]
    [InlineData("$not")]
    public void Parse_nesting_9_levels_is_refused(string op)
    {
        var ex = Assert.Throws<InvalidFilterException>(() => FilterJson.Parse(Nested(op, 9)));

        Assert.Contains("at most 8 levels", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_nesting_9_mixed_levels_names_the_ninth()
    {
        var json = """{"$and":[{"$or":[{"$not":{"$and":[{"$or":[{"$not":{"$and":[{"$or":[{"$not":{"a":1}}]}]}}]}]}}]}]}""";

        Expect.FilterErrorAt(() => FilterJson.Parse(json), "filter.$and[0].$or[0].$not.$and[0].$or[0].$not.$and[0].$or[0].$not");
    }

    [Fact]
    public void Parse_object_with_several_keys_counts_as_a_level_of_and()
    {
        // {"a":1,"b":2} is an and node; accepting it below 8 explicit levels would write back as 9 (ToJson) and fail to parse.
        const string TwoKeys = """{"a":1,"b":2}""";

        Assert.Throws<InvalidFilterException>(() => FilterJson.Parse(Nested("$or", 8, TwoKeys)));
        Assert.IsType<OrFilter>(FilterJson.Parse(Nested("$or", 7, TwoKeys)));
    }

    [Fact]
    public void Parse_256_clauses_are_accepted()
    {
        Assert.Equal(256, Assert.IsType<AndFilter>(FilterJson.Parse(Clauses(256))).Clauses.Count);
    }

    [Fact]
    public void Parse_257_clauses_in_one_group_are_refused()
    {
        var ex = Expect.FilterErrorAt(() => FilterJson.Parse(Clauses(257)), "filter.$and");

        Assert.Contains("at most 256 clauses", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_257_clauses_spread_over_groups_are_refused()
    {
        var json = $$"""{"$or":[{{Clauses(200)}},{{Clauses(57)}}]}""";

        Assert.Throws<InvalidFilterException>(() => FilterJson.Parse(json));
    }

    [Fact]
    public void Parse_257_keys_in_one_object_are_refused()
    {
        var json = "{" + string.Join(",", Enumerable.Range(0, 257).Select(i => $"\"f{i}\":1")) + "}";

        Assert.Throws<InvalidFilterException>(() => FilterJson.Parse(json));
    }

    [Fact]
    public void Parse_in_with_1024_values_is_accepted()
    {
        Assert.Equal(1024, Assert.IsType<FieldFilter>(FilterJson.Parse(InList(1024))).Values!.Count);
    }

    [Fact]
    public void Parse_in_with_1025_values_is_refused()
    {
        var ex = Expect.FilterErrorAt(() => FilterJson.Parse(InList(1025)), "filter.id.$in");

        Assert.Contains("at most 1024 values, got 1025", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"a":null}""", "filter.a")]
    [InlineData("""{"a":{"$eq":null}}""", "filter.a.$eq")]
    [InlineData("""{"a":{"$in":["x",null]}}""", "filter.a.$in[1]")]
    public void Parse_null_value_is_refused(string json, string path)
    {
        var ex = Expect.FilterErrorAt(() => FilterJson.Parse(json), path);

        Assert.Contains("$exists", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""[{"a":1}]""")]
    [InlineData("\"a\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("true")]
    public void Parse_non_object_filter_is_refused(string json)
    {
        var ex = Expect.FilterErrorAt(() => FilterJson.Parse(json), "filter");

        Assert.Contains("JSON object", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_empty_object_is_refused()
    {
        Expect.FilterErrorAt(() => FilterJson.Parse("{}"), "filter");
    }

    [Theory]
    [InlineData("""{"$and":[]}""", "filter.$and")]
    [InlineData("""{"$or":[]}""", "filter.$or")]
    [InlineData("""{"$or":[{"a":1},{}]}""", "filter.$or[1]")]
    [InlineData("""{"$and":{"a":1}}""", "filter.$and")]
    [InlineData("""{"$not":[{"a":1}]}""", "filter.$not")]
    [InlineData("""{"a":{}}""", "filter.a")]
    public void Parse_malformed_group_is_refused(string json, string path)
    {
        Expect.FilterErrorAt(() => FilterJson.Parse(json), path);
    }

    [Theory]
    [InlineData("""{"founded":{"$gt":"2015"}}""", "filter.founded.$gt")]
    [InlineData("""{"founded":{"$lte":true}}""", "filter.founded.$lte")]
    [InlineData("""{"a":{"$exists":1}}""", "filter.a.$exists")]
    [InlineData("""{"a":{"$exists":"yes"}}""", "filter.a.$exists")]
    [InlineData("""{"a":{"$contains":5}}""", "filter.a.$contains")]
    [InlineData("""{"a":{"$starts_with":false}}""", "filter.a.$starts_with")]
    [InlineData("""{"$or":[{"b":1},{"a":{"$ends_with":1}}]}""", "filter.$or[1].a.$ends_with")]
    [InlineData("""{"a":{"$in":[]}}""", "filter.a.$in")]
    [InlineData("""{"a":{"$in":"x"}}""", "filter.a.$in")]
    [InlineData("""{"a":{"$in":[["x"]]}}""", "filter.a.$in[0]")]
    [InlineData("""{"a":{"$eq":["x"]}}""", "filter.a.$eq")]
    [InlineData("""{"a":{"$eq":{"b":1}}}""", "filter.a.$eq")]
    [InlineData("""{"a":["x"]}""", "filter.a")]
    [InlineData("""{"a":1e400}""", "filter.a")]
    public void Parse_operand_of_the_wrong_type_names_the_operator(string json, string path)
    {
        Expect.FilterErrorAt(() => FilterJson.Parse(json), path);
    }

    [Theory]
    [InlineData("""{"a":""")]
    [InlineData("""{"a":1,}""")]
    [InlineData("""{'a':1}""")]
    [InlineData("")]
    [InlineData("""{"a":1} trailing""")]
    public void Parse_malformed_json_is_an_invalid_filter(string json)
    {
        var ex = Expect.FilterErrorAt(() => FilterJson.Parse(json), "filter");

        Assert.StartsWith("malformed JSON", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_10_mb_of_nested_arrays_fails_fast()
    {
        var json = new string('[', 10 * 1024 * 1024);

        var watch = Stopwatch.StartNew();
        Assert.Throws<InvalidFilterException>(() => FilterJson.Parse(json));

        // milliseconds when the depth limit works, minutes when it does not; 20 s leaves room for a stalled runner
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Parse_10000_nested_ands_fails_fast_without_stack_overflow()
    {
        var json = new StringBuilder();
        for (var i = 0; i < 10_000; i++)
        {
            json.Append("""{"$and":[""");
        }

        json.Append("""{"a":1}""");
        for (var i = 0; i < 10_000; i++)
        {
            json.Append("]}");
        }

        Assert.Throws<InvalidFilterException>(() => FilterJson.Parse(json.ToString()));
    }

    [Fact]
    public void Parse_element_of_10000_nested_nots_stops_at_the_ninth_level()
    {
        // A document parsed elsewhere with a generous depth limit reaches the parser as an element.
        var json = string.Concat(Enumerable.Repeat("""{"$not":""", 10_000)) + """{"a":1}""" + new string('}', 10_000);
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 20_001 });

        var ex = Assert.Throws<InvalidFilterException>(() => FilterJson.Parse(document.RootElement));

        Assert.Equal("filter" + string.Concat(Enumerable.Repeat(".$not", 9)), ex.Errors[0].Path);
    }

    [Fact]
    public void Parse_field_name_of_65_characters_is_refused()
    {
        var field = new string('f', 65);

        var ex = Expect.FilterErrorAt(() => FilterJson.Parse($$"""{"{{field}}":1}"""), $"filter.{field}");

        Assert.Contains("at most 64 characters", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_field_name_of_64_characters_is_accepted()
    {
        var field = new string('f', 64);

        Assert.Equal(field, Assert.IsType<FieldFilter>(FilterJson.Parse($$"""{"{{field}}":1}""")).Field);
    }

    [Fact]
    public void Parse_empty_field_name_is_refused()
    {
        Assert.Throws<InvalidFilterException>(() => FilterJson.Parse("""{"":1}"""));
    }

    [Theory]
    [InlineData("""{"a":"\ud800"}""", "filter.a")]
    [InlineData("""{"a":{"$in":["ok","\udfff"]}}""", "filter.a.$in[1]")]
    [InlineData("""{"\ud800":1}""", "filter")]
    [InlineData("""{"a":{"\ud800":1}}""", "filter.a")]
    public void Parse_unpaired_surrogate_escape_is_an_invalid_filter(string json, string path)
    {
        Expect.FilterErrorAt(() => FilterJson.Parse(json), path);
    }

    private static string Nested(string op, int levels, string innermost = """{"a":1}""")
    {
        var json = innermost;
        for (var i = 0; i < levels; i++)
        {
            json = op == "$not" ? $$"""{"$not":{{json}}}""" : $$"""{"{{op}}":[{{json}}]}""";
        }

        return json;
    }

    private static string Clauses(int count) =>
        """{"$and":[""" + string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"f{{i % 50}}":{{i}}}""")) + "]}";

    private static string InList(int count) =>
        """{"id":{"$in":[""" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"id-{i}\"")) + "]}}";

    private static int LogicalDepth(FilterExpression filter) => filter switch
    {
        AndFilter a => 1 + a.Clauses.Max(LogicalDepth),
        OrFilter o => 1 + o.Clauses.Max(LogicalDepth),
        NotFilter n => 1 + LogicalDepth(n.Clause),
        _ => 0,
    };
}
