using System.Diagnostics;
using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Pinecone.Fake;

namespace Theodore.Adapters.Pinecone.Tests;

/// <summary>The HttpClients time attempts out but never retry: retries belong to the port's decorator, one layer only.</summary>
public sealed class ResilienceTests
{
    [Fact]
    public async Task Injected_503_reaches_the_fake_exactly_once_and_surfaces_as_transient_with_RetryAfter()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        await scope.Storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }));
        await scope.Storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions());
        scope.Fake.InjectFault(new FakeFault(503, RetryAfter: "2", PathContains: "/query"));

        var mark = scope.Fake.Requests.Count;
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(async () => await scope.Storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions()));
        var attempts = scope.RequestsSince(mark);

        Assert.True(error.IsTransient);
        Assert.Equal(TimeSpan.FromSeconds(2), error.RetryAfter);
        var attempt = Assert.Single(attempts);
        Assert.Equal(503, attempt.Status);
    }

    [Fact]
    public async Task A_retry_by_the_caller_is_the_only_retry_two_attempts_in_all()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        await scope.Storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }));
        await scope.Storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions());
        scope.Fake.InjectFault(new FakeFault(429, RetryAfter: "0", PathContains: "/query"));

        var mark = scope.Fake.Requests.Count;
        SearchResult? result = null;
        for (var attempt = 0; attempt < 3 && result is null; attempt++)
        {
            try
            {
                result = await scope.Storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions());
            }
            catch (VectorStorageException error) when (error.IsTransient)
            {
                // the port's resilience decorator would wait RetryAfter here
            }
        }

        Assert.NotNull(result);
        Assert.Equal([429, 200], scope.RequestsSince(mark).Select(r => r.Status));
    }

    [Fact]
    public async Task Injected_fault_on_the_control_plane_is_one_attempt_too()
    {
        await using var scope = await FakeScope.StartAsync();
        scope.Fake.InjectFault(new FakeFault(500, Plane: "control"));

        var mark = scope.Fake.Requests.Count;
        await Assert.ThrowsAsync<StorageUnavailableException>(async () => await scope.Storage.ListIndexesAsync());

        Assert.Single(scope.RequestsSince(mark));
    }

    [Fact]
    public async Task Attempt_timeout_surfaces_as_StorageTimeout_after_one_attempt()
    {
        await using var scope = await FakeScope.StartAsync(tweak: o => o.RequestTimeout = TimeSpan.FromMilliseconds(200));
        scope.Fake.InjectFault(new FakeFault(200, Plane: "control", Delay: TimeSpan.FromSeconds(2)));

        var mark = scope.Fake.Requests.Count;
        var error = await Assert.ThrowsAsync<StorageTimeoutException>(async () => await scope.Storage.ListIndexesAsync());

        Assert.True(error.IsTransient);

        // A retry would have been sent before the error surfaced, and would have succeeded (the fault is served once).
        // The fake logs the abandoned attempt once its handler notices the client left (or its 2 s pass), which on a
        // starved runner can come late, and used to come after the test had looked: wait for it, not a fixed time.
        var waited = Stopwatch.StartNew();
        while (scope.RequestsSince(mark).Count == 0 && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }

        Assert.Single(scope.RequestsSince(mark));
    }
}
