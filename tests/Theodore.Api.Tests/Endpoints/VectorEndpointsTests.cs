using System.Net;
using System.Text;

namespace Theodore.Api.Tests.Endpoints;

public sealed class VectorEndpointsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    private async Task<string> IndexAsync(string name, int dimension = 3, string metric = "cosine", object? embedding = null)
    {
        await _client.CreateIndexAsync(name, dimension, metric, embedding);
        return $"/v1/indexes/{name}";
    }

    private async Task<IReadOnlyList<string>> FetchIdsAsync(string index, params string[] ids)
    {
        var body = await (await _client.PostJsonAsync($"{index}/vectors/fetch", "{\"ids\":[" + string.Join(",", ids.Select(i => $"\"{i}\"")) + "]}")).ReadJsonAsync();
        return body.GetProperty("vectors").Ids();
    }

    [Fact]
    public async Task Upsert_valid_records_returns_count_and_they_can_be_fetched()
    {
        var index = await IndexAsync("vec-upsert");

        var result = await (await _client.PostJsonAsync($"{index}/vectors/upsert",
            """{"vectors":[{"id":"a","values":[1,0,0],"metadata":{"industry":"fintech","founded":2015,"public":true,"tags":["b2b"]}},{"id":"b","values":[0,1,0]}]}"""))
            .ReadJsonAsync();

        Assert.Equal(2, result.GetProperty("upsertedCount").GetInt32());
        var fetched = await (await _client.PostJsonAsync($"{index}/vectors/fetch", """{"ids":["b","missing","a"]}""")).ReadJsonAsync();
        var vectors = fetched.GetProperty("vectors");
        Assert.Equal(["b", "a"], vectors.Ids());
        var a = vectors[1];
        Assert.Equal([1f, 0f, 0f], a.GetProperty("values").EnumerateArray().Select(v => v.GetSingle()));
        Assert.Equal("fintech", a.GetProperty("metadata").GetProperty("industry").GetString());
        Assert.Equal(2015, a.GetProperty("metadata").GetProperty("founded").GetDouble());
        Assert.True(a.GetProperty("metadata").GetProperty("public").GetBoolean());
        Assert.Equal("b2b", a.GetProperty("metadata").GetProperty("tags")[0].GetString());
    }

    [Fact]
    public async Task Upsert_with_one_bad_record_is_refused_whole_and_writes_nothing()
    {
        var index = await IndexAsync("vec-atomic");

        var response = await _client.PostJsonAsync($"{index}/vectors/upsert",
            """{"vectors":[{"id":"a","values":[1,0,0]},{"id":"b","values":[1,"NaN",0]},{"id":"c","values":[0,0,1]}]}""");

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(["vectors[1].values[1]"], problem.ErrorPaths());
        Assert.Empty(await FetchIdsAsync(index, "a", "b", "c"));
    }

    [Fact]
    public async Task Upsert_lists_every_bad_item_by_position_and_reason()
    {
        var index = await IndexAsync("vec-everything");
        var longId = new string('x', 513);
        var json = "{\"vectors\":["
            + "{\"id\":\"ok\",\"values\":[1,0,0]},"
            + "{\"id\":\"" + longId + "\",\"values\":[1,0,0]},"
            + "{\"id\":\"inf\",\"values\":[1e39,0,0]},"
            + "{\"id\":\"neg\",\"values\":[0,\"-Infinity\",0]},"
            + "{\"id\":\"null-meta\",\"values\":[1,0,0],\"metadata\":{\"industry\":null}},"
            + "{\"id\":\"nested\",\"values\":[1,0,0],\"metadata\":{\"address\":{\"city\":\"Berlin\"}}},"
            + "{\"id\":\"ok\",\"values\":[0,1,0]},"
            + "{\"id\":\"no-values\"}"
            + "]}";

        var problem = await (await _client.PostJsonAsync($"{index}/vectors/upsert", json)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(
            ["vectors[1].id", "vectors[2].values[0]", "vectors[3].values[1]", "vectors[4].metadata.industry", "vectors[5].metadata.address", "vectors[6].id", "vectors[7].values"],
            problem.ErrorPaths());
        Assert.All(problem.GetProperty("errors").EnumerateArray(), e => Assert.False(string.IsNullOrEmpty(e.GetProperty("message").GetString())));
        Assert.Empty(await FetchIdsAsync(index, "ok", "inf", "neg"));
    }

    [Fact]
    public async Task Upsert_null_record_and_non_object_metadata_are_listed()
    {
        var index = await IndexAsync("vec-nulls");

        var problem = await (await _client.PostJsonAsync($"{index}/vectors/upsert", """{"vectors":[null,{"id":"a","values":[1,0,0],"metadata":"fintech"}]}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["vectors[0]", "vectors[1].metadata"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Upsert_into_invalid_index_name_and_namespace_lists_both()
    {
        var problem = await (await _client.PostJsonAsync("/v1/indexes/Not_Valid/vectors/upsert", """{"namespace":"tab\there","vectors":[{"id":"a","values":[1,0,0]}]}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["index", "namespace"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Upsert_number_beyond_double_range_is_reported_like_infinity()
    {
        var index = await IndexAsync("vec-1e400", metric: "euclidean");

        var problem = await (await _client.PostJsonAsync($"{index}/vectors/upsert", """{"vectors":[{"id":"a","values":[0,-1e400,0]}]}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["vectors[0].values[1]"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Upsert_wrong_dimensions_is_400_dimension_mismatch_listing_each_record()
    {
        var index = await IndexAsync("vec-dims");

        var problem = await (await _client.PostJsonAsync($"{index}/vectors/upsert", """{"vectors":[{"id":"a","values":[1,0]},{"id":"b","values":[1,0,0]},{"id":"c","values":[1,0,0,0]}]}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "dimension_mismatch");

        Assert.Equal(["vectors[0].values", "vectors[2].values"], problem.ErrorPaths());
        Assert.Empty(await FetchIdsAsync(index, "a", "b", "c"));
    }

    [Fact]
    public async Task Upsert_zero_vector_into_cosine_index_is_refused()
    {
        var index = await IndexAsync("vec-zero");

        var problem = await (await _client.PostJsonAsync($"{index}/vectors/upsert", """{"vectors":[{"id":"z","values":[0,0,0]}]}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["vectors[0].values"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Upsert_non_unit_vector_into_normalizing_index_names_the_contract()
    {
        var index = await IndexAsync("vec-unit", embedding: new { model = "hash", version = "1", normalize = true });

        var problem = await (await _client.PostJsonAsync($"{index}/vectors/upsert", """{"vectors":[{"id":"u","values":[0.6,0.8,0]},{"id":"l","values":[3,4,0]}]}"""))
            .AssertProblemAsync(HttpStatusCode.Conflict, "embedding_contract_violation");

        Assert.Equal(["vectors[1].values"], problem.ErrorPaths());
        Assert.Equal(["embedding_contract_violation"], problem.ErrorCodes());
    }

    [Fact]
    public async Task Upsert_1001_vectors_is_refused_and_1000_accepted()
    {
        var index = await IndexAsync("vec-many", dimension: 1, metric: "euclidean");
        string Body(int n) => "{\"vectors\":[" + string.Join(",", Enumerable.Range(0, n).Select(i => $"{{\"id\":\"v{i}\",\"values\":[{i}]}}")) + "]}";

        var tooMany = await _client.PostJsonAsync($"{index}/vectors/upsert", Body(1001));
        var thousand = await _client.PostJsonAsync($"{index}/vectors/upsert", Body(1000));

        var problem = await tooMany.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(["vectors"], problem.ErrorPaths());
        Assert.Equal(1000, (await thousand.ReadJsonAsync()).GetProperty("upsertedCount").GetInt32());
    }

    [Fact]
    public async Task Upsert_41_kb_of_metadata_is_refused()
    {
        var index = await IndexAsync("vec-bigmeta");
        var json = "{\"vectors\":[{\"id\":\"a\",\"values\":[1,0,0],\"metadata\":{\"description\":\"" + new string('x', 41 * 1024) + "\"}}]}";

        var problem = await (await _client.PostJsonAsync($"{index}/vectors/upsert", json)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["vectors[0].metadata"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Upsert_into_missing_index_is_404()
    {
        await (await _client.PostJsonAsync("/v1/indexes/vec-nowhere/vectors/upsert", """{"vectors":[{"id":"a","values":[1,0,0]}]}"""))
            .AssertProblemAsync(HttpStatusCode.NotFound, "index_not_found");
    }

    [Theory]
    [InlineData("""{"vectors":[{"id":"a","values":[1,0,0]}""")]
    [InlineData("""{"vectors":[{"id":"a","values":[1,"one",0]}]}""")]
    [InlineData("""{"vectors":[{"id":"a","values":{"x":1}}]}""")]
    [InlineData("""{"vectors":"all of them"}""")]
    public async Task Upsert_malformed_json_is_400_malformed_request(string json)
    {
        var index = await IndexAsync($"vec-malformed-{Math.Abs(json.GetHashCode(StringComparison.Ordinal)) % 100000}");

        await (await _client.PostJsonAsync($"{index}/vectors/upsert", json)).AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task Upsert_body_over_the_limit_is_413()
    {
        using var factory = new TheodoreApiFactory(new Dictionary<string, string?> { ["Api:MaxRequestBodyBytes"] = "2048" });
        using var client = factory.CreateClient();
        await client.CreateIndexAsync("vec-limit");
        var json = "{\"vectors\":[" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"{{\"id\":\"v{i}\",\"values\":[1,0,0]}}")) + "]}";

        await (await client.PostJsonAsync("/v1/indexes/vec-limit/vectors/upsert", json)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload_too_large");
    }

    [Fact]
    public async Task Put_then_get_returns_the_record_in_its_namespace_only()
    {
        var index = await IndexAsync("vec-put");

        var put = await (await _client.PutJsonAsync($"{index}/vectors/acme", """{"values":[0.5,0.5,0],"metadata":{"country":"DE"},"namespace":"de"}""")).ReadJsonAsync();
        var inNamespace = await (await _client.GetAsync($"{index}/vectors/acme?namespace=de")).ReadJsonAsync();
        var elsewhere = await _client.GetAsync($"{index}/vectors/acme");

        Assert.Equal(1, put.GetProperty("upsertedCount").GetInt32());
        Assert.Equal("acme", inNamespace.GetProperty("id").GetString());
        Assert.Equal(3, inNamespace.GetProperty("values").GetArrayLength());
        Assert.Equal("DE", inNamespace.GetProperty("metadata").GetProperty("country").GetString());
        await elsewhere.AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
    }

    [Fact]
    public async Task Put_replaces_the_record()
    {
        var index = await IndexAsync("vec-replace");
        await _client.PutJsonAsync($"{index}/vectors/acme", """{"values":[1,0,0],"metadata":{"v":1}}""");

        await (await _client.PutJsonAsync($"{index}/vectors/acme", """{"values":[0,1,0],"metadata":{"v":2}}""")).ReadJsonAsync();
        var record = await (await _client.GetAsync($"{index}/vectors/acme")).ReadJsonAsync();

        Assert.Equal(1f, record.GetProperty("values")[1].GetSingle());
        Assert.Equal(2, record.GetProperty("metadata").GetProperty("v").GetDouble());
    }

    [Fact]
    public async Task Put_with_bad_id_values_and_metadata_lists_each()
    {
        var index = await IndexAsync("vec-put-bad");
        var longId = new string('x', 513);

        var problem = await (await _client.PutJsonAsync($"{index}/vectors/{longId}", """{"values":[1,"Infinity",0],"metadata":{"founded":null}}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["id", "values[1]", "metadata.founded"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Put_wrong_dimension_is_dimension_mismatch()
    {
        var index = await IndexAsync("vec-put-dims");

        var problem = await (await _client.PutJsonAsync($"{index}/vectors/a", """{"values":[1,0]}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "dimension_mismatch");

        Assert.Equal(["values"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Get_missing_record_is_404_record_not_found_and_missing_index_404_index_not_found()
    {
        var index = await IndexAsync("vec-get");

        await (await _client.GetAsync($"{index}/vectors/ghost")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        await (await _client.GetAsync("/v1/indexes/vec-no-index/vectors/ghost")).AssertProblemAsync(HttpStatusCode.NotFound, "index_not_found");
    }

    [Fact]
    public async Task Delete_one_is_204_then_404()
    {
        var index = await IndexAsync("vec-delete-one");
        await _client.PutJsonAsync($"{index}/vectors/a", """{"values":[1,0,0]}""");

        var first = await _client.DeleteAsync($"{index}/vectors/a");
        var second = await _client.DeleteAsync($"{index}/vectors/a");

        Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
        await second.AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
    }

    [Fact]
    public async Task Delete_one_only_touches_its_namespace()
    {
        var index = await IndexAsync("vec-delete-ns");
        await _client.PutJsonAsync($"{index}/vectors/a", """{"values":[1,0,0],"namespace":"de"}""");

        await (await _client.DeleteAsync($"{index}/vectors/a")).AssertProblemAsync(HttpStatusCode.NotFound, "record_not_found");
        Assert.Equal(HttpStatusCode.NoContent, (await _client.DeleteAsync($"{index}/vectors/a?namespace=de")).StatusCode);
    }

    [Fact]
    public async Task Fetch_1001_ids_is_refused_and_bad_ids_listed()
    {
        var index = await IndexAsync("vec-fetch-limits");
        var ids = string.Join(",", Enumerable.Range(0, 1001).Select(i => $"\"id{i}\""));

        var tooMany = await (await _client.PostJsonAsync($"{index}/vectors/fetch", "{\"ids\":[" + ids + "]}")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        var bad = await (await _client.PostJsonAsync($"{index}/vectors/fetch", """{"ids":["ok","",null]}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["ids"], tooMany.ErrorPaths());
        Assert.Equal(["ids[1]", "ids[2]"], bad.ErrorPaths());
    }

    [Fact]
    public async Task Delete_by_ids_counts_those_that_existed()
    {
        var index = await IndexAsync("vec-del-ids");
        await _client.UpsertAsync("vec-del-ids", """[{"id":"a","values":[1,0,0]},{"id":"b","values":[0,1,0]},{"id":"c","values":[0,0,1]}]""");

        var result = await (await _client.PostJsonAsync($"{index}/vectors/delete", """{"ids":["a","c","ghost"]}""")).ReadJsonAsync();

        Assert.Equal(2, result.GetProperty("deletedCount").GetInt64());
        Assert.Equal(["b"], await FetchIdsAsync(index, "a", "b", "c"));
    }

    [Fact]
    public async Task Delete_by_filter_removes_the_matching_records()
    {
        var index = await IndexAsync("vec-del-filter");
        await _client.UpsertAsync("vec-del-filter",
            """[{"id":"a","values":[1,0,0],"metadata":{"founded":1990}},{"id":"b","values":[0,1,0],"metadata":{"founded":2020}},{"id":"c","values":[0,0,1]}]""");

        var result = await (await _client.PostJsonAsync($"{index}/vectors/delete", """{"filter":{"founded":{"$lt":2000}}}""")).ReadJsonAsync();

        Assert.Equal(1, result.GetProperty("deletedCount").GetInt64());
        Assert.Equal(["b", "c"], await FetchIdsAsync(index, "a", "b", "c"));
    }

    [Fact]
    public async Task Delete_all_empties_only_the_namespace()
    {
        var index = await IndexAsync("vec-del-all");
        await _client.UpsertAsync("vec-del-all", """[{"id":"a","values":[1,0,0]}]""");
        await _client.UpsertAsync("vec-del-all", """[{"id":"a","values":[1,0,0]},{"id":"b","values":[0,1,0]}]""", ns: "de");

        var result = await (await _client.PostJsonAsync($"{index}/vectors/delete", """{"deleteAll":true,"namespace":"de"}""")).ReadJsonAsync();

        Assert.Equal(2, result.GetProperty("deletedCount").GetInt64());
        Assert.Equal(["a"], await FetchIdsAsync(index, "a"));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"deleteAll":false}""")]
    [InlineData("""{"ids":["a"],"deleteAll":true}""")]
    [InlineData("""{"ids":["a"],"filter":{"x":1}}""")]
    public async Task Delete_without_exactly_one_selector_is_400(string json)
    {
        var index = await IndexAsync($"vec-del-sel-{Math.Abs(json.GetHashCode(StringComparison.Ordinal)) % 100000}");

        var problem = await (await _client.PostJsonAsync($"{index}/vectors/delete", json)).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Single(problem.GetProperty("errors").EnumerateArray());
    }

    [Fact]
    public async Task Delete_by_unknown_filter_operator_is_invalid_filter_naming_the_path()
    {
        var index = await IndexAsync("vec-del-badfilter");

        var problem = await (await _client.PostJsonAsync($"{index}/vectors/delete", """{"filter":{"$or":[{"country":"DE"},{"founded":{"$regex":"19"}}]}}"""))
            .AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_filter");

        Assert.Equal(["filter.$or[1].founded.$regex"], problem.ErrorPaths());
    }

    [Fact]
    public async Task List_pages_through_every_record_in_id_order()
    {
        var index = await IndexAsync("vec-list");
        await _client.UpsertAsync("vec-list", "[" + string.Join(",", new[] { "e", "a", "d", "b", "c" }.Select(id => $"{{\"id\":\"{id}\",\"values\":[1,0,0],\"metadata\":{{\"n\":\"{id}\"}}}}")) + "]");

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var url = $"{index}/vectors?limit=2" + (cursor is null ? string.Empty : $"&cursor={Uri.EscapeDataString(cursor)}");
            var page = await (await _client.GetAsync(url)).ReadJsonAsync();
            Assert.True(page.TryGetProperty("nextCursor", out var next), "nextCursor is always present");
            seen.AddRange(page.GetProperty("vectors").Ids());
            Assert.All(page.GetProperty("vectors").EnumerateArray(), v => Assert.False(v.TryGetProperty("values", out _)));
            cursor = next.ValueKind == System.Text.Json.JsonValueKind.Null ? null : next.GetString();
            pages++;
        }
        while (cursor is not null && pages < 10);

        Assert.Equal(["a", "b", "c", "d", "e"], seen);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task List_with_include_values_and_namespace_returns_them()
    {
        var index = await IndexAsync("vec-list-ns");
        await _client.UpsertAsync("vec-list-ns", """[{"id":"x","values":[1,0,0]}]""", ns: "de");
        await _client.UpsertAsync("vec-list-ns", """[{"id":"y","values":[0,1,0]}]""");

        var page = await (await _client.GetAsync($"{index}/vectors?namespace=de&includeValues=true&includeMetadata=false")).ReadJsonAsync();

        var only = Assert.Single(page.GetProperty("vectors").EnumerateArray());
        Assert.Equal("x", only.GetProperty("id").GetString());
        Assert.Equal(3, only.GetProperty("values").GetArrayLength());
        Assert.False(only.TryGetProperty("metadata", out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task List_with_limit_out_of_range_is_400_naming_limit(int limit)
    {
        var index = await IndexAsync($"vec-list-limit-{limit}");

        var problem = await (await _client.GetAsync($"{index}/vectors?limit={limit}")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["limit"], problem.ErrorPaths());
    }

    [Fact]
    public async Task List_of_missing_index_is_404()
    {
        await (await _client.GetAsync("/v1/indexes/vec-list-none/vectors")).AssertProblemAsync(HttpStatusCode.NotFound, "index_not_found");
    }
}
