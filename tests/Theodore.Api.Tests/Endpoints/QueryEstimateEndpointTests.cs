using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Theodore.Adapters.Native;

namespace Theodore.Api.Tests.Endpoints;

/// <summary><c>POST /v1/indexes/{index}/query/estimate</c> and <c>maxCost</c> on the default engine.</summary>
[SuppressMessage("Design", "CA1001", Justification = "xUnit disposes a test class through IAsyncLifetime.")]
public sealed class QueryEstimateEndpointTests : IAsyncLifetime
{
    private const string Records = """
        [{"id":"a","values":[1,0,0],"metadata":{"kind":"x"}},
         {"id":"b","values":[0.9,0.1,0],"metadata":{"kind":"x"}},
         {"id":"c","values":[0.1,1,0],"metadata":{"kind":"y"}},
         {"id":"d","values":[0,0,1],"metadata":{"kind":"z"}}]
        """;

    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "theodore-api-estimate-" + Guid.NewGuid().ToString("N"));
    private readonly NativeVectorStorage _storage;
    private readonly TheodoreApiFactory _factory = new();
    private readonly WebApplicationFactory<Program> _host;
    private readonly HttpClient _client;

    public QueryEstimateEndpointTests()
    {
        _storage = new NativeVectorStorage(new NativeOptions { DataPath = _dataPath });
        _host = _factory.WithStorage(_storage);
        _client = _host.CreateClient();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
        await _factory.DisposeAsync();
        await _storage.DisposeAsync();
        Directory.Delete(_dataPath, recursive: true);
    }

    private async Task<string> SeededAsync(string name)
    {
        await _client.CreateIndexAsync(name, 3);
        await _client.UpsertAsync(name, Records);
        return $"/v1/indexes/{name}/query";
    }

    [Fact]
    public async Task Estimate_of_a_filtered_query_names_the_exact_scan_of_its_subset()
    {
        var url = await SeededAsync("est-shape");

        var body = await (await _client.PostJsonAsync(url + "/estimate", """{"vector":[1,0,0],"topK":1,"filter":{"kind":{"$eq":"x"}},"maxCost":100}""")).ReadJsonAsync();

        Assert.True(body.GetProperty("valid").GetBoolean());
        Assert.Empty(body.GetProperty("errors").EnumerateArray());
        Assert.Equal("exactScan", body.GetProperty("plan").GetString());
        Assert.Equal(2, body.GetProperty("estimatedDistanceComputations").GetInt64());
        Assert.Equal(2, body.GetProperty("estimatedVisitedNodes").GetInt64());
        Assert.False(body.GetProperty("approximate").GetBoolean());
        Assert.Equal(4, body.GetProperty("records").GetInt64());
        Assert.True(body.GetProperty("withinMaxCost").GetBoolean());
        Assert.NotEmpty(body.GetProperty("recommendations").EnumerateArray());
    }

    [Fact]
    public async Task Estimate_of_an_invalid_query_is_valid_false_with_every_error()
    {
        var url = await SeededAsync("est-invalid");

        var body = await (await _client.PostJsonAsync(url + "/estimate", """{"vector":[1,0,0],"id":"a","topK":0,"maxCost":0}""")).ReadJsonAsync();

        Assert.False(body.GetProperty("valid").GetBoolean());
        var paths = body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("path").GetString()).ToList();
        Assert.Contains("id", paths);
        Assert.Contains("topK", paths);
        Assert.Contains("maxCost", paths);
        Assert.False(body.TryGetProperty("plan", out _));
    }

    [Fact]
    public async Task Query_over_its_maxCost_is_refused_with_422_and_under_it_runs()
    {
        var url = await SeededAsync("est-maxcost");

        var problem = await (await _client.PostJsonAsync(url, """{"vector":[1,0,0],"topK":1,"exact":true,"maxCost":3}""")).AssertProblemAsync((HttpStatusCode)422, "query_too_costly");
        Assert.Contains("4 distance computations", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        var ok = await (await _client.PostJsonAsync(url, """{"vector":[1,0,0],"topK":1,"exact":true,"maxCost":4}""")).ReadJsonAsync();
        Assert.Equal("a", ok.GetProperty("matches")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task On_a_backend_that_cannot_estimate_both_the_estimate_and_maxCost_are_501()
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();
        await client.CreateIndexAsync("est-mock", 3);
        await client.UpsertAsync("est-mock", Records);

        await (await client.PostJsonAsync("/v1/indexes/est-mock/query/estimate", """{"vector":[1,0,0],"topK":1}""")).AssertProblemAsync(HttpStatusCode.NotImplemented, "unsupported_operation");
        await (await client.PostJsonAsync("/v1/indexes/est-mock/query", """{"vector":[1,0,0],"topK":1,"maxCost":1000}""")).AssertProblemAsync(HttpStatusCode.NotImplemented, "unsupported_operation");
        var plain = await (await client.PostJsonAsync("/v1/indexes/est-mock/query", """{"vector":[1,0,0],"topK":1}""")).ReadJsonAsync();
        Assert.Equal("a", plain.GetProperty("matches")[0].GetProperty("id").GetString());
    }
}
