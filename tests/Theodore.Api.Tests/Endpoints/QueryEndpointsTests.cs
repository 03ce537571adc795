using System.Net;
using System.Text.Json;

namespace Theodore.Api.Tests.Endpoints;

public sealed class QueryEndpointsTests : IClassFixture<ApiFixture>
{
    private const string Companies = """
        [{"id":"acme","values":[1,0,0],"metadata":{"industry":"fintech","country":"DE","founded":2016}},
         {"id":"beta","values":[0.9,0.1,0],"metadata":{"industry":"fintech","country":"FR","founded":2010}},
         {"id":"gamma","values":[0.1,1,0],"metadata":{"industry":"retail","country":"DE","founded":1999}},
         {"id":"delta","values":[0,0,1],"metadata":{"industry":"insurtech","country":"US","founded":2021}}]
        """;

    private readonly HttpClient _client;

    public QueryEndpointsTests(ApiFixture api)
    {
        ArgumentNullException.ThrowIfNull(api);
        _client = api.Client;
    }

    private async Task<string> SeededIndexAsync(string name, string metric = "cosine")
    {
        await _client.CreateIndexAsync(name, 3, metric);
        await _client.UpsertAsync(name, Companies);
        return $"/v1/indexes/{name}/query";
    }

    private async Task<JsonElement> QueryAsync(string url, string json) => await (await _client.PostJsonAsync(url, json)).ReadJsonAsync();

    [Fact]
    public async Task Query_by_vector_returns_matches_best_first_with_score_distance_and_metadata()
    {
        var url = await SeededIndexAsync("q-basic");

        var result = await QueryAsync(url, """{"vector":[1,0,0],"topK":3}""");

        var matches = result.GetProperty("matches");
        Assert.Equal(["acme", "beta", "gamma"], matches.Ids());
        var best = matches[0];
        Assert.Equal(1.0, best.GetProperty("score").GetDouble(), 5);
        Assert.Equal(0.0, best.GetProperty("distance").GetDouble(), 5);
        Assert.Equal("fintech", best.GetProperty("metadata").GetProperty("industry").GetString());
        Assert.False(best.TryGetProperty("values", out _));
        Assert.True(result.GetProperty("approximate").ValueKind is JsonValueKind.True or JsonValueKind.False);
        Assert.True(result.GetProperty("tookMs").GetDouble() >= 0);
        var scores = matches.EnumerateArray().Select(m => m.GetProperty("score").GetDouble()).ToList();
        Assert.Equal(scores.OrderDescending(), scores);
    }

    [Fact]
    public async Task Query_with_include_values_and_without_metadata_returns_them_so()
    {
        var url = await SeededIndexAsync("q-includes");

        var match = (await QueryAsync(url, """{"vector":[0,1,0],"topK":1,"includeValues":true,"includeMetadata":false}""")).GetProperty("matches")[0];

        Assert.Equal("gamma", match.GetProperty("id").GetString());
        Assert.Equal([0.1f, 1f, 0f], match.GetProperty("values").EnumerateArray().Select(v => v.GetSingle()));
        Assert.False(match.TryGetProperty("metadata", out _));
    }

    [Fact]
    public async Task Query_dotproduct_matches_have_no_distance()
    {
        var url = await SeededIndexAsync("q-dot", metric: "dotproduct");

        var match = (await QueryAsync(url, """{"vector":[2,0,0],"topK":1}""")).GetProperty("matches")[0];

        Assert.Equal(2.0, match.GetProperty("score").GetDouble(), 5);
        Assert.False(match.TryGetProperty("distance", out _));
    }

    [Fact]
    public async Task Query_with_filter_returns_only_matching_records()
    {
        var url = await SeededIndexAsync("q-filter");

        var result = await QueryAsync(url, """{"vector":[1,0,0],"topK":10,"filter":{"industry":{"$in":["fintech","insurtech"]},"$or":[{"country":"DE"},{"founded":{"$gte":2020}}]}}""");

        Assert.Equal(["acme", "delta"], result.GetProperty("matches").Ids());
    }

    [Fact]
    public async Task Query_with_score_threshold_drops_weaker_matches()
    {
        var url = await SeededIndexAsync("q-threshold");

        var result = await QueryAsync(url, """{"vector":[1,0,0],"topK":10,"scoreThreshold":0.5}""");

        Assert.Equal(["acme", "beta"], result.GetProperty("matches").Ids());
    }

    [Fact]
    public async Task Query_in_a_namespace_sees_only_that_namespace()
    {
        await _client.CreateIndexAsync("q-ns", 3, "cosine");
        await _client.UpsertAsync("q-ns", Companies);
        await _client.UpsertAsync("q-ns", """[{"id":"only-de","values":[1,0,0]}]""", ns: "de");

        var result = await QueryAsync("/v1/indexes/q-ns/query", """{"vector":[1,0,0],"topK":10,"namespace":"de"}""");

        Assert.Equal(["only-de"], result.GetProperty("matches").Ids());
    }

    [Fact]
    public async Task Query_by_id_excludes_the_record_itself()
    {
        var url = await SeededIndexAsync("q-byid");

        var result = await QueryAsync(url, """{"id":"acme","topK":2}""");

        Assert.Equal(["beta", "gamma"], result.GetProperty("matches").Ids());
    }

    [Fact]
    public async Task Query_by_missing_id_is_404_record_not_found()
    {
        var url = await SeededIndexAsync("q-byid-missing");

        await (await _client.PostJsonAsync(url, """{"id":"ghost","topK":2}""")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
    }

    [Fact]
    public async Task Query_of_missing_index_is_404()
    {
        await (await _client.PostJsonAsync("/v1/indexes/q-none/query", """{"vector":[1,0,0],"topK":2}""")).AssertProblemAsync(HttpStatusCode.NotFound, "index_not_found");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    public async Task Query_topK_out_of_range_is_400_naming_topK(int topK)
    {
        var url = await SeededIndexAsync($"q-topk-{topK}");

        var problem = await (await _client.PostJsonAsync(url, $$"""{"vector":[1,0,0],"topK":{{topK}}}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["topK"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Query_with_unknown_filter_operator_is_invalid_filter_naming_the_path()
    {
        var url = await SeededIndexAsync("q-badop");

        var problem = await (await _client.PostJsonAsync(url, """{"vector":[1,0,0],"topK":2,"filter":{"$or":[{"country":"DE"},{"founded":{"$between":[1,2]}}]}}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");

        Assert.Equal(["filter.$or[1].founded.$between"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Query_with_filter_operand_of_wrong_type_names_its_path()
    {
        var url = await SeededIndexAsync("q-badoperand");

        var problem = await (await _client.PostJsonAsync(url, """{"vector":[1,0,0],"topK":2,"filter":{"$or":[{"country":"DE"},{"founded":{"$gte":"2015"}}]}}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");

        Assert.Equal(["filter.$or[1].founded.$gte"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Query_with_filter_nested_9_deep_is_refused_and_8_accepted()
    {
        var url = await SeededIndexAsync("q-deep");
        static string Nested(int depth)
        {
            var json = "{\"industry\":\"fintech\"}";
            for (var i = 0; i < depth; i++)
            {
                json = "{\"$and\":[" + json + "]}";
            }

            return json;
        }

        var deep = await _client.PostJsonAsync(url, "{\"vector\":[1,0,0],\"topK\":5,\"filter\":" + Nested(9) + "}");
        var ok = await QueryAsync(url, "{\"vector\":[1,0,0],\"topK\":5,\"filter\":" + Nested(8) + "}");

        await deep.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");
        Assert.Equal(["acme", "beta"], ok.GetProperty("matches").Ids());
    }

    [Fact]
    public async Task Query_with_in_of_1025_values_is_refused()
    {
        var url = await SeededIndexAsync("q-bigin");
        var values = string.Join(",", Enumerable.Range(0, 1025).Select(i => $"\"c{i}\""));

        var problem = await (await _client.PostJsonAsync(url, "{\"vector\":[1,0,0],\"topK\":5,\"filter\":{\"country\":{\"$in\":[" + values + "]}}}"))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");

        Assert.Equal(["filter.country.$in"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Query_with_wrong_dimension_is_dimension_mismatch()
    {
        var url = await SeededIndexAsync("q-dims");

        var problem = await (await _client.PostJsonAsync(url, """{"vector":[1,0],"topK":2}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "dimension_mismatch");

        Assert.Equal(["vector"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Query_with_zero_vector_in_cosine_index_is_refused()
    {
        var url = await SeededIndexAsync("q-zero");

        var problem = await (await _client.PostJsonAsync(url, """{"vector":[0,0,0],"topK":2}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["vector"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Query_with_nan_and_bad_topK_lists_both()
    {
        var url = await SeededIndexAsync("q-nan");

        var problem = await (await _client.PostJsonAsync(url, """{"vector":[1,"NaN",0],"topK":0}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["vector[1]", "topK"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Query_without_vector_or_id_asks_for_a_vector()
    {
        var url = await SeededIndexAsync("q-neither");

        var problem = await (await _client.PostJsonAsync(url, """{"topK":2}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["vector"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Query_with_both_vector_and_id_is_refused()
    {
        var url = await SeededIndexAsync("q-both");

        var problem = await (await _client.PostJsonAsync(url, """{"vector":[1,0,0],"id":"acme","topK":2}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["id"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Query_with_malformed_json_is_400_malformed_request()
    {
        var url = await SeededIndexAsync("q-malformed");

        await (await _client.PostJsonAsync(url, """{"vector":[1,0,0],"topK":"ten"}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }
}
