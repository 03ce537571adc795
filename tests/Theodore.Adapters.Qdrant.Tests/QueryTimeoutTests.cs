using System.Diagnostics;
using System.Text.Json;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Qdrant.Fake;

namespace Theodore.Adapters.Qdrant.Tests;

/// <summary>
/// A search's deadline reaches Qdrant as its own <c>timeout</c> (whole seconds, rounded up) and cancels the call at the
/// exact moment, so the caller hears 504 at the deadline and the server stops too.
/// </summary>
public sealed class QueryTimeoutTests : IAsyncLifetime
{
    private QdrantFake _fake = null!;

    public async Task InitializeAsync() => _fake = await QdrantFake.StartAsync(new QdrantFakeOptions { QueryDuration = TimeSpan.FromSeconds(20) });

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Theory]
    [InlineData(null, null)]
    [InlineData(1.0, 1UL)]
    [InlineData(999.0, 1UL)]
    [InlineData(1000.0, 1UL)]
    [InlineData(1500.0, 2UL)]
    [InlineData(300_000.0, 300UL)]
    public void ServerTimeout_rounds_up_to_whole_seconds_so_the_server_never_stops_first(double? milliseconds, ulong? seconds)
    {
        var timeout = milliseconds is { } ms ? TimeSpan.FromMilliseconds(ms) : (TimeSpan?)null;

        var sent = QdrantVectorStorage.ServerTimeout(timeout);

        Assert.Equal(seconds, sent is { } s ? (ulong)s.TotalSeconds : null);
        Assert.True(sent is null || sent.Value.TotalSeconds == Math.Floor(sent.Value.TotalSeconds));
    }

    [Fact]
    public async Task SearchAsync_slower_than_its_deadline_is_cancelled_at_the_deadline_and_sent_Qdrants_timeout()
    {
        await using var storage = SharedQdrantFake.Storage(_fake);
        var index = IndexName.Parse("slow-queries");
        await storage.CreateIndexAsync(new IndexDefinition(index, 2, DistanceMetric.Euclidean));
        await storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }));
        await storage.DescribeIndexAsync(index);
        _fake.ClearRequests();

        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<StorageTimeoutException>(async () =>
            await storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { Timeout = TimeSpan.FromMilliseconds(300) }));
        clock.Stop();

        // the fake would work 20 s, and its own timeout (1 s) is later than ours: the adapter's cancellation ended it
        Assert.InRange(clock.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.FromMilliseconds(300), error.Deadline);
        var query = Assert.Single(_fake.Requests, r => r.Rpc == "Points/Query");
        using var sent = JsonDocument.Parse(query.Message);
        Assert.Equal("1", sent.RootElement.GetProperty("timeout").ToString());
    }
}
