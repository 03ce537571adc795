using System.Diagnostics.CodeAnalysis;
using System.Net;
using Theodore.Api.Tests.Endpoints;

namespace Theodore.Api.Tests.Operations;

/// <summary>Online rebuilds through the API on the default engine; the Mock cannot rebuild and says so.</summary>
public sealed class RebuildEndpointTests
{
    [Fact]
    public async Task Rebuild_on_the_default_engine_is_202_with_its_status_and_progress_shows_in_stats()
    {
        await using var host = new OperationsApiHost("Native");
        var client = host.Client;
        await client.CreateIndexAsync("rebuild", 3);
        await client.UpsertAsync("rebuild", """[{"id":"a","values":[1,0,0]},{"id":"b","values":[0,1,0]},{"id":"c","values":[0,0,1]}]""");

        var response = await client.PostJsonAsync("/v1/indexes/rebuild/rebuild", """{"hnsw":{"m":8,"efConstruction":64}}""");
        var started = await response.ReadJsonAsync(HttpStatusCode.Accepted);

        Assert.Equal("/v1/indexes/rebuild/rebuild", response.Headers.Location?.OriginalString);
        Assert.Equal(8, started.GetProperty("hnsw").GetProperty("m").GetInt32());
        Assert.Equal(64, started.GetProperty("hnsw").GetProperty("efConstruction").GetInt32());
        string phase;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            phase = (await (await client.GetAsync("/v1/indexes/rebuild/rebuild")).ReadJsonAsync()).GetProperty("phase").GetString()!;
        }
        while (phase is "building" or "catchingUp" && DateTime.UtcNow < deadline);

        Assert.Equal("completed", phase);
        var stats = await (await client.GetAsync("/v1/indexes/rebuild/stats")).ReadJsonAsync();
        Assert.Equal("completed", stats.GetProperty("rebuild").GetProperty("phase").GetString());
        Assert.Equal(1.0, stats.GetProperty("rebuild").GetProperty("progress").GetDouble());
        var query = await (await client.PostJsonAsync("/v1/indexes/rebuild/query", """{"vector":[1,0,0],"topK":1}""")).ReadJsonAsync();
        Assert.Equal("a", query.GetProperty("matches")[0].GetProperty("id").GetString());
    }

    [Fact]
    public async Task Rebuild_with_bad_hnsw_options_is_400()
    {
        await using var host = new OperationsApiHost("Native");
        await host.Client.CreateIndexAsync("rebuild-bad", 3);

        var problem = await (await host.Client.PostJsonAsync("/v1/indexes/rebuild-bad/rebuild", """{"hnsw":{"m":1}}""")).AssertProblemAsync(HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(["hnsw.m"], problem.ErrorPaths());
    }

    [Fact]
    public async Task Rebuild_on_the_mock_is_501_both_to_start_and_to_read()
    {
        await using var host = new OperationsApiHost("Mock");
        await host.Client.CreateIndexAsync("rebuild-mock", 3);

        await (await host.Client.PostJsonAsync("/v1/indexes/rebuild-mock/rebuild", "{}")).AssertProblemAsync(HttpStatusCode.NotImplemented, "unsupported_operation");
        await (await host.Client.GetAsync("/v1/indexes/rebuild-mock/rebuild")).AssertProblemAsync(HttpStatusCode.NotImplemented, "unsupported_operation");
    }
}

/// <summary>The background sweep: expired records are deleted durably on the configured interval of the host's clock.</summary>
[SuppressMessage("Design", "CA1001", Justification = "xUnit disposes a test class through IAsyncLifetime.")]
public abstract class ExpirySweepEndpointTests(string provider) : IAsyncLifetime
{
    private readonly OperationsApiHost _host = new(provider, [new("Maintenance:SweepEnabled", "true"), new("Maintenance:SweepInterval", "00:00:10")]);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Sweeper_deletes_expired_records_on_its_interval()
    {
        var client = _host.Client;
        await client.CreateIndexAsync("sweep", 3);
        await client.PostJsonAsync("/v1/indexes/sweep/vectors/upsert", """{"vectors":[{"id":"t","values":[1,0,0],"ttlSeconds":5},{"id":"k","values":[0,1,0]}]}""");

        _host.Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, (await (await client.GetAsync("/v1/indexes/sweep/stats")).ReadJsonAsync()).GetProperty("expiredVectors").GetInt64());

        long expired;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            // the timer fires on the fake clock; each advance is one more interval
            _host.Time.Advance(TimeSpan.FromSeconds(10));
            await Task.Delay(50);
            expired = (await (await client.GetAsync("/v1/indexes/sweep/stats")).ReadJsonAsync()).GetProperty("expiredVectors").GetInt64();
        }
        while (expired != 0 && DateTime.UtcNow < deadline);

        Assert.Equal(0, expired);
        var stats = await (await client.GetAsync("/v1/indexes/sweep/stats")).ReadJsonAsync();
        Assert.Equal(1, stats.GetProperty("totalVectors").GetInt64());
    }
}

public sealed class ExpirySweepEndpointTestsOnMock() : ExpirySweepEndpointTests("Mock");

public sealed class ExpirySweepEndpointTestsOnNative() : ExpirySweepEndpointTests("Native");
