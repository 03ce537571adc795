using System.Diagnostics;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Mock.Tests;

public sealed class MockVectorStorageTests
{
    private static readonly IndexName Index = IndexName.Parse("companies");
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task LatencyMs_set_every_call_takes_at_least_that_long()
    {
        var storage = new MockVectorStorage(new MockOptions { LatencyMs = 60 });
        var stopwatch = Stopwatch.StartNew();

        await storage.ListIndexesAsync();
        var first = stopwatch.Elapsed;
        await storage.CheckHealthAsync();

        Assert.True(first >= TimeSpan.FromMilliseconds(55), $"first call took {first.TotalMilliseconds} ms");
        Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(110), $"two calls took {stopwatch.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task LatencyMs_cancelled_while_waiting_throws_OperationCanceled()
    {
        var storage = new MockVectorStorage(new MockOptions { LatencyMs = 10_000 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(20));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await storage.ListIndexesAsync(cancel.Token));
    }

    [Fact]
    public async Task ErrorRate_same_seed_fails_the_same_calls_with_a_transient_error()
    {
        var first = await FailurePatternAsync(new MockOptions { ErrorRate = 0.5, Seed = 7 }, 64);
        var second = await FailurePatternAsync(new MockOptions { ErrorRate = 0.5, Seed = 7 }, 64);
        var other = await FailurePatternAsync(new MockOptions { ErrorRate = 0.5, Seed = 8 }, 64);

        Assert.Equal(first, second);
        Assert.NotEqual(first, other, StringComparer.Ordinal);
        Assert.Contains("x", first, StringComparison.Ordinal);
        Assert.Contains(".", first, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorRate_injected_fault_is_transient_and_names_system_index_and_operation()
    {
        var storage = new MockVectorStorage(new MockOptions { ErrorRate = 1 });

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(async () => await storage.GetStatsAsync(Index));

        Assert.True(error.IsTransient);
        Assert.Equal(ErrorCodes.StorageUnavailable, error.Code);
        Assert.Equal("mock", error.SystemName);
        Assert.Equal("companies", error.Index);
        Assert.Equal("GetStats", error.Operation);
    }

    [Fact]
    public async Task ErrorRate_above_zero_health_reports_degraded_instead_of_failing()
    {
        var faulty = new MockVectorStorage(new MockOptions { ErrorRate = 1 });
        var clean = new MockVectorStorage();

        Assert.Equal(HealthStatus.Degraded, (await faulty.CheckHealthAsync()).Status);
        Assert.Equal(HealthStatus.Healthy, (await clean.CheckHealthAsync()).Status);
    }

    [Fact]
    public async Task ErrorRate_injected_fault_on_upsert_writes_nothing()
    {
        var storage = new MockVectorStorage(new MockOptions { ErrorRate = 0.5, Seed = 1 });
        await RetryAsync(() => storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Euclidean)));
        var failedUpserts = 0;

        for (var i = 0; i < 20; i++)
        {
            try
            {
                await storage.UpsertAsync(Index, new VectorRecord(VectorId.Parse($"r{i}"), new float[] { i, 0 }));
            }
            catch (StorageUnavailableException)
            {
                failedUpserts++;
            }
        }

        var stats = await RetryAsync(() => storage.GetStatsAsync(Index));
        Assert.InRange(failedUpserts, 1, 19);
        Assert.Equal(20 - failedUpserts, stats.TotalVectors);
    }

    [Fact]
    public void Constructor_error_rate_outside_zero_to_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MockVectorStorage(new MockOptions { ErrorRate = 2 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MockVectorStorage(new MockOptions { LatencyMs = -1 }));
    }

    [Fact]
    public async Task Calls_records_operation_index_and_clock_time_in_order_until_cleared()
    {
        var clock = new ManualClock(T0);
        var storage = new MockVectorStorage(time: clock);

        await storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Cosine));
        clock.Now = T0.AddMinutes(1);
        await storage.UpsertAsync(Index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }));
        await storage.SearchAsync(Index, new float[] { 1, 0 }, new SearchOptions());
        await storage.ListIndexesAsync();

        Assert.Equal(
            [new MockCall("CreateIndex", "companies", T0), new MockCall("Upsert", "companies", T0.AddMinutes(1)), new MockCall("Search", "companies", T0.AddMinutes(1)), new MockCall("ListIndexes", null, T0.AddMinutes(1))],
            storage.Calls);

        storage.ClearCalls();
        await storage.GetAsync(Index, VectorId.Parse("a"));

        Assert.Equal("Get", Assert.Single(storage.Calls).Operation);
    }

    [Fact]
    public async Task GetStatsAsync_created_and_updated_times_come_from_the_clock()
    {
        var clock = new ManualClock(T0);
        var storage = new MockVectorStorage(time: clock);
        await storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Cosine));
        clock.Now = T0.AddHours(2);
        await storage.UpsertAsync(Index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }));
        clock.Now = T0.AddHours(5);

        var stats = await storage.GetStatsAsync(Index);
        var info = await storage.DescribeIndexAsync(Index);

        Assert.Equal(T0, stats.CreatedAt);
        Assert.Equal(T0.AddHours(2), stats.UpdatedAt);
        Assert.Equal(T0.AddHours(2), info.UpdatedAt);
        Assert.True(stats.MemoryBytes >= 2 * sizeof(float));
    }

    [Fact]
    public async Task SearchAsync_returned_values_are_copies_of_the_stored_vector()
    {
        var storage = await StorageWithAsync(new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }));

        var first = await storage.SearchAsync(Index, new float[] { 1, 0 }, new SearchOptions { IncludeValues = true });
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(first.Matches[0].Values!.Value, out var segment);
        segment.Array![0] = -5;
        var second = await storage.GetAsync(Index, VectorId.Parse("a"));

        Assert.Equal([1f, 0f], second!.Values.ToArray());
    }

    [Fact]
    public async Task SearchAsync_is_exact_and_never_approximate()
    {
        var storage = await StorageWithAsync(new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }));

        var result = await storage.SearchAsync(Index, new float[] { 0.6f, 0.8f }, new SearchOptions());

        Assert.False(result.Approximate);
        Assert.Equal(Scoring.Exact(DistanceMetric.Cosine, [0.6f, 0.8f], [1f, 0f]).Score, result.Matches[0].Score);
    }

    [Fact]
    public async Task UpsertAsync_index_with_normalized_contract_refuses_a_vector_that_is_not_unit_length()
    {
        var storage = new MockVectorStorage();
        await storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Cosine, new EmbeddingContract("hashing", "v1", normalize: true)));

        await storage.UpsertAsync(Index, new VectorRecord(VectorId.Parse("unit"), new float[] { 0.6f, 0.8f }));
        await Assert.ThrowsAsync<EmbeddingContractViolationException>(async () =>
            await storage.UpsertAsync(Index, new VectorRecord(VectorId.Parse("long"), new float[] { 3, 4 })));

        Assert.Null(await storage.GetAsync(Index, VectorId.Parse("long")));
    }

    [Fact]
    public async Task UpsertAsync_invalid_vector_error_names_backend_index_operation_and_path()
    {
        var storage = await StorageWithAsync();

        var error = await Assert.ThrowsAsync<DimensionMismatchException>(async () =>
            await storage.UpsertAsync(Index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 2, 3 })));

        Assert.Equal("mock", error.SystemName);
        Assert.Equal("companies", error.Index);
        Assert.Equal("Upsert", error.Operation);
        Assert.Equal("values", Assert.Single(error.Errors).Path);
    }

    [Fact]
    public async Task SearchAsync_non_finite_query_error_points_at_the_value()
    {
        var storage = await StorageWithAsync(new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }));

        var error = await Assert.ThrowsAsync<InvalidRequestException>(async () =>
            await storage.SearchAsync(Index, new float[] { 1, float.NaN }, new SearchOptions()));

        Assert.Equal("vector[1]", Assert.Single(error.Errors).Path);
        Assert.Equal("Search", error.Operation);
    }

    [Fact]
    public async Task UpsertManyAsync_reports_progress_once_per_chunk_with_running_totals()
    {
        var storage = await StorageWithAsync();
        var records = Enumerable.Range(0, 25).Select(i => new VectorRecord(VectorId.Parse($"r{i:D2}"), new float[] { 1, i })).ToList();
        records[21] = new VectorRecord(VectorId.Parse("r21"), new float[] { 0, 0 });
        var reports = new List<BatchProgress>();

        await storage.UpsertManyAsync(Index, records, options: new BatchOptions { MaxChunkRecords = 10 }, progress: new Inline(reports));

        Assert.Equal([new BatchProgress(10, 0, 25), new BatchProgress(20, 0, 25), new BatchProgress(24, 1, 25)], reports);
    }

    [Fact]
    public async Task DeleteByFilterAsync_in_a_namespace_leaves_other_namespaces_alone()
    {
        var storage = await StorageWithAsync();
        var record = new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }, Metadata.Create([new("industry", "fintech")]));
        await storage.UpsertAsync(Index, record, Namespace.Parse("x"));
        await storage.UpsertAsync(Index, record, Namespace.Parse("y"));

        var deleted = await storage.DeleteByFilterAsync(Index, Filter.Eq("industry", "fintech"), Namespace.Parse("x"));

        Assert.Equal(1, deleted);
        Assert.NotNull(await storage.GetAsync(Index, record.Id, Namespace.Parse("y")));
    }

    [Fact]
    public void Capabilities_declare_an_exact_strongly_consistent_backend_with_everything()
    {
        var capabilities = new MockVectorStorage().Capabilities;

        Assert.Equal("mock", capabilities.SystemName);
        Assert.Equal(Enum.GetValues<DistanceMetric>().ToHashSet(), capabilities.Metrics);
        Assert.Equal(Enum.GetValues<FilterOperator>().ToHashSet(), capabilities.FilterOperators);
        Assert.True(capabilities.SupportsOffset && capabilities.SupportsNamespaces && capabilities.SupportsDeleteByFilter && capabilities.SupportsExactSearch);
        Assert.Equal(ConsistencyLevel.Strong, capabilities.Consistency);
    }

    [Fact]
    public void GetService_reaches_the_ports_it_has_and_claims_no_cache()
    {
        IVectorStorage storage = new MockVectorStorage();

        Assert.NotNull(storage.GetService<IBatchVectorStorage>());
        Assert.NotNull(storage.GetService<IStreamingVectorStorage>());
        Assert.Null(storage.GetService<ICacheableVectorStorage>());
        Assert.Null(storage.GetService<IBatchVectorStorage>(serviceKey: "keyed"));
    }

    [Fact]
    public async Task ListAsync_cursor_does_not_expose_the_id_in_clear()
    {
        var storage = await StorageWithAsync(
            new VectorRecord(VectorId.Parse("secret-a"), new float[] { 1, 0 }),
            new VectorRecord(VectorId.Parse("secret-b"), new float[] { 1, 0 }));

        var page = await storage.ListAsync(Index, new ListRequest { Limit = 1 });

        Assert.NotNull(page.NextCursor);
        Assert.DoesNotContain("secret", page.NextCursor, StringComparison.Ordinal);
    }

    private static async Task<MockVectorStorage> StorageWithAsync(params VectorRecord[] records)
    {
        var storage = new MockVectorStorage();
        await storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Cosine));
        foreach (var record in records)
        {
            await storage.UpsertAsync(Index, record);
        }

        return storage;
    }

    private static async Task<string> FailurePatternAsync(MockOptions options, int calls)
    {
        var storage = new MockVectorStorage(options);
        var pattern = new char[calls];
        for (var i = 0; i < calls; i++)
        {
            try
            {
                await storage.ListIndexesAsync();
                pattern[i] = '.';
            }
            catch (StorageUnavailableException)
            {
                pattern[i] = 'x';
            }
        }

        return new string(pattern);
    }

    private static async Task<T> RetryAsync<T>(Func<ValueTask<T>> call)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (StorageUnavailableException) when (attempt < 50)
            {
                // injected fault: try again, as the resilience decorator would
            }
        }
    }

    private sealed class Inline(List<BatchProgress> reports) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => reports.Add(value);
    }
}
