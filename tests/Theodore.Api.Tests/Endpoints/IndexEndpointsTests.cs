using System.Net;
using System.Net.Http.Json;

namespace Theodore.Api.Tests.Endpoints;

public sealed class IndexEndpointsTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private readonly HttpClient _client = api.Client;

    [Fact]
    public async Task Create_valid_index_is_201_with_location_and_info()
    {
        var response = await _client.PostAsJsonAsync("/v1/indexes", new
        {
            name = "idx-create",
            dimension = 384,
            metric = "dotproduct",
            embedding = new { model = "hash", version = "1", normalize = true },
            hnsw = new { m = 32, efConstruction = 100 },
        });

        var info = await response.ReadJsonAsync(HttpStatusCode.Created);
        Assert.Equal("/v1/indexes/idx-create", response.Headers.Location?.OriginalString);
        Assert.Equal("idx-create", info.GetProperty("name").GetString());
        Assert.Equal(384, info.GetProperty("dimension").GetInt32());
        Assert.Equal("dotproduct", info.GetProperty("metric").GetString());
        Assert.Equal("hash", info.GetProperty("embedding").GetProperty("model").GetString());
        Assert.True(info.GetProperty("embedding").GetProperty("normalize").GetBoolean());
        Assert.Equal(32, info.GetProperty("hnsw").GetProperty("m").GetInt32());
        Assert.Equal(100, info.GetProperty("hnsw").GetProperty("efConstruction").GetInt32());
        Assert.Equal(0, info.GetProperty("vectorCount").GetInt64());
    }

    [Fact]
    public async Task Create_without_embedding_leaves_it_out()
    {
        var info = await (await _client.PostAsJsonAsync("/v1/indexes", new { name = "idx-plain", dimension = 2, metric = "manhattan" })).ReadJsonAsync(HttpStatusCode.Created);

        Assert.False(info.TryGetProperty("embedding", out _));
        Assert.Equal("manhattan", info.GetProperty("metric").GetString());
    }

    [Fact]
    public async Task Create_existing_name_is_409_index_already_exists()
    {
        await _client.CreateIndexAsync("idx-twice");

        var response = await _client.PostAsJsonAsync("/v1/indexes", new { name = "idx-twice", dimension = 3, metric = "cosine" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict, "index_already_exists");
    }

    [Fact]
    public async Task Create_invalid_request_lists_every_error()
    {
        var response = await _client.PostAsJsonAsync("/v1/indexes", new
        {
            name = "Bad Name",
            dimension = 0,
            metric = "hamming",
            hnsw = new { m = 1, efConstruction = 5000 },
        });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(["name", "dimension", "metric", "hnsw.m", "hnsw.efConstruction"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Create_dimension_of_20001_is_refused()
    {
        var response = await _client.PostAsJsonAsync("/v1/indexes", new { name = "idx-huge", dimension = 20_001, metric = "cosine" });

        var problem = await response.AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");
        Assert.Equal(["dimension"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Create_malformed_json_is_400_malformed_request()
    {
        var response = await _client.PostJsonAsync("/v1/indexes", "{\"name\":\"x\",\"dimension\":\"three\"}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest, "malformed_request");
    }

    [Fact]
    public async Task List_returns_every_index_ordered_by_name()
    {
        await _client.CreateIndexAsync("idx-list-b");
        await _client.CreateIndexAsync("idx-list-a");

        var body = await (await _client.GetAsync("/v1/indexes")).ReadJsonAsync();

        var names = body.GetProperty("indexes").EnumerateArray().Select(i => i.GetProperty("name").GetString()!).ToList();
        Assert.Contains("idx-list-a", names);
        Assert.Contains("idx-list-b", names);
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    [Fact]
    public async Task Describe_existing_index_returns_its_info_and_count()
    {
        await _client.CreateIndexAsync("idx-describe", dimension: 2, metric: "euclidean");
        await _client.UpsertAsync("idx-describe", """[{"id":"a","values":[1,2]},{"id":"b","values":[3,4]}]""");

        var info = await (await _client.GetAsync("/v1/indexes/idx-describe")).ReadJsonAsync();

        Assert.Equal("euclidean", info.GetProperty("metric").GetString());
        Assert.Equal(2, info.GetProperty("vectorCount").GetInt64());
    }

    [Fact]
    public async Task Describe_missing_index_is_404_index_not_found()
    {
        var problem = await (await _client.GetAsync("/v1/indexes/idx-ghost")).AssertProblemAsync(HttpStatusCode.NotFound, "index_not_found");

        Assert.Equal("idx-ghost", problem.GetProperty("index").GetString());
    }

    [Fact]
    public async Task Describe_invalid_name_is_400_naming_index()
    {
        var problem = await (await _client.GetAsync("/v1/indexes/UPPER_case")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["index"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Delete_existing_index_is_204_and_it_is_gone()
    {
        await _client.CreateIndexAsync("idx-delete");

        var deleted = await _client.DeleteAsync("/v1/indexes/idx-delete");
        var after = await _client.GetAsync("/v1/indexes/idx-delete");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await after.AssertProblemAsync(HttpStatusCode.NotFound, "index_not_found");
    }

    [Fact]
    public async Task Delete_missing_index_is_404()
    {
        await (await _client.DeleteAsync("/v1/indexes/idx-never")).AssertProblemAsync(HttpStatusCode.NotFound, "index_not_found");
    }

    [Fact]
    public async Task Stats_count_vectors_per_namespace_and_metadata_field()
    {
        await _client.CreateIndexAsync("idx-stats", dimension: 2, metric: "euclidean");
        await _client.UpsertAsync("idx-stats", """[{"id":"a","values":[1,2],"metadata":{"industry":"fintech"}},{"id":"b","values":[3,4]}]""");
        await _client.UpsertAsync("idx-stats", """[{"id":"a","values":[1,2],"metadata":{"industry":"retail","founded":1990}}]""", ns: "de");

        var stats = await (await _client.GetAsync("/v1/indexes/idx-stats/stats")).ReadJsonAsync();

        Assert.Equal(3, stats.GetProperty("totalVectors").GetInt64());
        Assert.Equal(2, stats.GetProperty("dimension").GetInt32());
        Assert.Equal("euclidean", stats.GetProperty("metric").GetString());
        Assert.True(stats.TryGetProperty("memoryBytes", out _));
        Assert.Equal(2, stats.GetProperty("namespaces").GetProperty("").GetInt64());
        Assert.Equal(1, stats.GetProperty("namespaces").GetProperty("de").GetInt64());
        Assert.Equal(2, stats.GetProperty("metadataFields").GetProperty("industry").GetInt64());
        Assert.Equal(0, stats.GetProperty("unindexedVectors").GetInt64());
    }

    [Fact]
    public async Task Stats_of_missing_index_is_404()
    {
        await (await _client.GetAsync("/v1/indexes/idx-nostats/stats")).AssertProblemAsync(HttpStatusCode.NotFound, "index_not_found");
    }
}
