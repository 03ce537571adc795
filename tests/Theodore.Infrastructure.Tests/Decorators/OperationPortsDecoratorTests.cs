using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Decorators.Caching;
using Theodore.Infrastructure.Decorators.Concurrency;
using Theodore.Infrastructure.Decorators.Telemetry;

namespace Theodore.Infrastructure.Tests.Decorators;

/// <summary>The record-operations, maintenance and rebuild ports through every decorator, over substitute ports.</summary>
public sealed class OperationPortsDecoratorTests : IDisposable
{
    private static readonly IndexName Index = IndexName.Parse("ops");
    private static readonly float[] Query = [1, 0, 0, 0];
    private readonly List<SearchCache> _caches = [];

    public void Dispose()
    {
        foreach (var cache in _caches)
        {
            cache.Dispose();
        }
    }

    /// <summary>A backend with the three ports (or none), whose every search answers a fresh result.</summary>
    private sealed class Backend
    {
        public Backend(bool ports = true)
        {
            Storage.Capabilities.Returns(new StorageCapabilities { SystemName = "fake", MixedBatches = ports, Ttl = ports, SoftDelete = ports, Compaction = ports, OnlineRebuild = ports });
            Storage.SearchAsync(default!, default, default!, default).ReturnsForAnyArgs(_ => new SearchResult([new SearchMatch(VectorId.Parse("a"), 1f, 0f)], false, TimeSpan.Zero));
            if (ports)
            {
                Storage.GetService(typeof(IRecordOperationsStorage), Arg.Any<object?>()).Returns(Operations);
                Storage.GetService(typeof(IIndexMaintenanceStorage), Arg.Any<object?>()).Returns(Maintenance);
                Storage.GetService(typeof(IOnlineRebuildStorage), Arg.Any<object?>()).Returns(Rebuild);
            }

            Operations.ApplyAsync(default!, default!, default, default, default).ReturnsForAnyArgs(c =>
            {
                var operations = c.ArgAt<IReadOnlyList<RecordOperation>?>(1) ?? [];
                return new OperationBatchResult([.. operations.Select((o, i) => new RecordOperationResult(i, o.Kind, o.Id, true))], false, TimeSpan.Zero);
            });
            Operations.GetManyAsync(default!, default!, default, default, default).ReturnsForAnyArgs(new ValueTask<IReadOnlyList<VectorRecord>>([]));
            Maintenance.CompactAsync(default!, default).ReturnsForAnyArgs(new CompactionResult(2, 1, 0, 10, 5, TimeSpan.Zero));
            Maintenance.SweepExpiredAsync(default!, default).ReturnsForAnyArgs(3L);
            Rebuild.StartRebuildAsync(default!, default, default).ReturnsForAnyArgs(Status(RebuildPhase.Building));
            Rebuild.GetRebuildStatusAsync(default!, default).ReturnsForAnyArgs(Status(RebuildPhase.Building));
        }

        public IVectorStorage Storage { get; } = Substitute.For<IVectorStorage>();

        public IRecordOperationsStorage Operations { get; } = Substitute.For<IRecordOperationsStorage>();

        public IIndexMaintenanceStorage Maintenance { get; } = Substitute.For<IIndexMaintenanceStorage>();

        public IOnlineRebuildStorage Rebuild { get; } = Substitute.For<IOnlineRebuildStorage>();

        public int Searches => Storage.ReceivedCalls().Count(c => c.GetMethodInfo().Name == nameof(IVectorStorage.SearchAsync));

        public static RebuildStatus Status(RebuildPhase phase) => new(phase, HnswOptions.Default, 5, 10, DateTimeOffset.UnixEpoch, null);
    }

    private CachingVectorStorage Cached(Backend backend, TimeProvider? time = null)
    {
        var cache = new SearchCache(new CachingOptions(), time);
        _caches.Add(cache);
        return new CachingVectorStorage(backend.Storage, cache, time: time);
    }

    private static Task<SearchResult> SearchAsync(CachingVectorStorage storage) => storage.SearchAsync(Index, Query, new SearchOptions { TopK = 1 }).AsTask();

    [Fact]
    public void GetService_reaches_each_port_through_every_layer_and_is_null_where_the_backend_lacks_it()
    {
        using var instrumentation = new StorageInstrumentation();
        IVectorStorage Stack(IVectorStorage adapter)
        {
            var cache = new SearchCache(new CachingOptions());
            _caches.Add(cache);
            return new TelemetryVectorStorage(
                new ConcurrencyLimitVectorStorage(new CachingVectorStorage(TestStorage.Resilient(adapter, TestStorage.NoDelays()), cache), new ConcurrencyLimitOptions()),
                instrumentation);
        }

        var with = Stack(new Backend().Storage);
        var without = Stack(new Backend(ports: false).Storage);

        Assert.NotNull(with.GetService<IRecordOperationsStorage>());
        Assert.NotNull(with.GetService<IIndexMaintenanceStorage>());
        Assert.NotNull(with.GetService<IOnlineRebuildStorage>());
        Assert.Null(without.GetService<IRecordOperationsStorage>());
        Assert.Null(without.GetService<IIndexMaintenanceStorage>());
        Assert.Null(without.GetService<IOnlineRebuildStorage>());
    }

    [Fact]
    public async Task Calls_pass_through_the_whole_stack_to_the_ports()
    {
        var backend = new Backend();
        using var instrumentation = new StorageInstrumentation();
        IVectorStorage storage = new TelemetryVectorStorage(new ConcurrencyLimitVectorStorage(Cached(backend), new ConcurrencyLimitOptions()), instrumentation);

        var batch = await storage.GetRequiredService<IRecordOperationsStorage>().ApplyAsync(Index, [RecordOperation.SoftDelete(VectorId.Parse("a"))], Namespace.Parse("ns"), OperationBatchOptions.AllOrNothing);
        await storage.GetRequiredService<IRecordOperationsStorage>().GetManyAsync(Index, [VectorId.Parse("a")], includeDeleted: true);
        var compaction = await storage.GetRequiredService<IIndexMaintenanceStorage>().CompactAsync(Index);
        var swept = await storage.GetRequiredService<IIndexMaintenanceStorage>().SweepExpiredAsync(Index);
        var hnsw = new HnswOptions(32, 100);
        await storage.GetRequiredService<IOnlineRebuildStorage>().StartRebuildAsync(Index, hnsw);

        Assert.Equal(1, batch.Succeeded);
        Assert.Equal(2, compaction.PurgedSoftDeleted);
        Assert.Equal(3, swept);
        await backend.Operations.Received(1).ApplyAsync(Index, Arg.Any<IReadOnlyList<RecordOperation>>(), Namespace.Parse("ns"), OperationBatchOptions.AllOrNothing, Arg.Any<CancellationToken>());
        await backend.Operations.Received(1).GetManyAsync(Index, Arg.Any<IReadOnlyList<VectorId>>(), true, Arg.Any<Namespace>(), Arg.Any<CancellationToken>());
        await backend.Rebuild.Received(1).StartRebuildAsync(Index, hnsw, Arg.Any<CancellationToken>());
    }

    public static TheoryData<string> Writes => new() { "apply", "compact", "sweep" };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Cache_every_write_through_the_new_ports_makes_the_next_search_a_miss(string write)
    {
        var backend = new Backend();
        var storage = Cached(backend);
        await SearchAsync(storage);
        await SearchAsync(storage);
        Assert.Equal(1, backend.Searches);

        switch (write)
        {
            case "apply": await storage.GetRequiredService<IRecordOperationsStorage>().ApplyAsync(Index, [RecordOperation.Delete(VectorId.Parse("a"))]); break;
            case "compact": await storage.GetRequiredService<IIndexMaintenanceStorage>().CompactAsync(Index); break;
            default: await storage.GetRequiredService<IIndexMaintenanceStorage>().SweepExpiredAsync(Index); break;
        }

        await SearchAsync(storage);
        Assert.Equal(2, backend.Searches);
    }

    [Fact]
    public async Task Cache_a_failed_batch_still_invalidates()
    {
        var backend = new Backend();
        backend.Operations.ApplyAsync(default!, default!, default, default, default).ThrowsAsyncForAnyArgs(new StorageUnavailableException("half applied?"));
        var storage = Cached(backend);
        await SearchAsync(storage);

        await Assert.ThrowsAsync<StorageUnavailableException>(async () => await storage.GetRequiredService<IRecordOperationsStorage>().ApplyAsync(Index, [RecordOperation.Delete(VectorId.Parse("a"))]));
        await SearchAsync(storage);

        Assert.Equal(2, backend.Searches);
    }

    [Fact]
    public async Task Cache_is_bypassed_while_a_rebuild_runs_and_used_again_once_it_is_over()
    {
        var backend = new Backend();
        var storage = Cached(backend);
        await storage.GetRequiredService<IOnlineRebuildStorage>().StartRebuildAsync(Index, null);

        await SearchAsync(storage);
        await SearchAsync(storage);
        Assert.Equal(2, backend.Searches);

        backend.Rebuild.GetRebuildStatusAsync(default!, default).ReturnsForAnyArgs(Backend.Status(RebuildPhase.Completed));
        await SearchAsync(storage);
        await SearchAsync(storage);
        Assert.Equal(3, backend.Searches);
    }

    [Fact]
    public async Task Cache_a_record_written_with_an_expiry_leaves_cached_results_when_it_expires()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var backend = new Backend();
        var storage = Cached(backend, time);
        var record = new VectorRecord(VectorId.Parse("a"), Query) { ExpiresAt = time.GetUtcNow().AddSeconds(30) };
        await storage.GetRequiredService<IRecordOperationsStorage>().ApplyAsync(Index, [RecordOperation.Upsert(record)]);

        await SearchAsync(storage);
        time.Advance(TimeSpan.FromSeconds(29));
        await SearchAsync(storage);
        Assert.Equal(1, backend.Searches);

        time.Advance(TimeSpan.FromSeconds(1));
        await SearchAsync(storage);
        await SearchAsync(storage);
        Assert.Equal(2, backend.Searches);
    }

    [Fact]
    public async Task Cache_an_expiry_set_by_upsert_or_setExpiry_is_noted_too()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var backend = new Backend();
        var storage = Cached(backend, time);
        await storage.UpsertAsync(Index, new VectorRecord(VectorId.Parse("a"), Query) { ExpiresAt = time.GetUtcNow().AddSeconds(10) });
        await storage.GetRequiredService<IRecordOperationsStorage>().ApplyAsync(Index, [RecordOperation.SetExpiry(VectorId.Parse("b"), time.GetUtcNow().AddSeconds(20))]);

        await SearchAsync(storage);
        time.Advance(TimeSpan.FromSeconds(10));
        await SearchAsync(storage);
        time.Advance(TimeSpan.FromSeconds(10));
        await SearchAsync(storage);
        await SearchAsync(storage);

        Assert.Equal(3, backend.Searches);
    }

    [Fact]
    public async Task Resilience_retries_a_read_but_never_a_batch_or_a_rebuild_start()
    {
        var backend = new Backend();
        backend.Operations.ApplyAsync(default!, default!, default, default, default).ThrowsAsyncForAnyArgs(new StorageUnavailableException("blip"));
        backend.Rebuild.StartRebuildAsync(default!, default, default).ThrowsAsyncForAnyArgs(new StorageUnavailableException("blip"));
        backend.Operations.GetManyAsync(default!, default!, default, default, default).ReturnsForAnyArgs(
            _ => throw new StorageUnavailableException("blip"),
            _ => new ValueTask<IReadOnlyList<VectorRecord>>([]));
        var storage = TestStorage.Resilient(backend.Storage, TestStorage.NoDelays());

        await Assert.ThrowsAsync<StorageUnavailableException>(async () => await storage.GetRequiredService<IRecordOperationsStorage>().ApplyAsync(Index, [RecordOperation.Delete(VectorId.Parse("a"))]));
        await Assert.ThrowsAsync<StorageUnavailableException>(async () => await storage.GetRequiredService<IOnlineRebuildStorage>().StartRebuildAsync(Index, null));
        Assert.Empty(await storage.GetRequiredService<IRecordOperationsStorage>().GetManyAsync(Index, [VectorId.Parse("a")], includeDeleted: true));

        await backend.Operations.ReceivedWithAnyArgs(1).ApplyAsync(default!, default!, default, default, default);
        await backend.Rebuild.ReceivedWithAnyArgs(1).StartRebuildAsync(default!, default, default);
        await backend.Operations.ReceivedWithAnyArgs(2).GetManyAsync(default!, default!, default, default, default);
    }

    [Fact]
    public async Task Resilience_lets_a_compaction_run_past_the_attempt_timeout()
    {
        var backend = new Backend();
        backend.Maintenance.CompactAsync(default!, default).ReturnsForAnyArgs(c => new ValueTask<CompactionResult>(SlowCompactionAsync(c.ArgAt<CancellationToken>(1))));
        var options = TestStorage.NoDelays();
        options.AttemptTimeout = TimeSpan.FromMilliseconds(50);
        options.TotalTimeout = TimeSpan.FromMilliseconds(100);
        var storage = TestStorage.Resilient(backend.Storage, options);

        var result = await storage.GetRequiredService<IIndexMaintenanceStorage>().CompactAsync(Index);

        Assert.Equal(1, result.PurgedSoftDeleted);
        await backend.Maintenance.ReceivedWithAnyArgs(1).CompactAsync(default!, default);
    }

    private static async Task<CompactionResult> SlowCompactionAsync(CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromMilliseconds(300), cancellationToken);
        return new CompactionResult(1, 0, 0, 0, 0, TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public async Task Bulkhead_a_batch_waits_for_a_slot_like_any_call()
    {
        var backend = new Backend();
        var gate = new TaskCompletionSource<CompactionResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        backend.Maintenance.CompactAsync(default!, default).ReturnsForAnyArgs(_ => new ValueTask<CompactionResult>(gate.Task));
        using var storage = new ConcurrencyLimitVectorStorage(backend.Storage, new ConcurrencyLimitOptions { PermitLimit = 1, QueueLimit = 0 });

        var compaction = storage.GetRequiredService<IIndexMaintenanceStorage>().CompactAsync(Index).AsTask();
        var busy = await Assert.ThrowsAsync<StorageBusyException>(async () => await storage.GetRequiredService<IRecordOperationsStorage>().ApplyAsync(Index, [RecordOperation.Delete(VectorId.Parse("a"))]));
        gate.SetResult(new CompactionResult(0, 0, 0, 0, 0, TimeSpan.Zero));
        await compaction;

        Assert.Equal(Theodore.Infrastructure.Decorators.StorageOperations.ApplyOperations, busy.Operation);
        await storage.GetRequiredService<IRecordOperationsStorage>().ApplyAsync(Index, [RecordOperation.Delete(VectorId.Parse("a"))]);
    }

    [Fact]
    public async Task Telemetry_traces_a_batch_and_counts_its_operations_and_the_swept_and_compacted_records()
    {
        var spans = new List<Activity>();
        using var tracing = Sdk.CreateTracerProviderBuilder().AddSource(StorageInstrumentation.Name).AddInMemoryExporter(spans).Build();
        using var instrumentation = new StorageInstrumentation();
        using var metrics = new TelemetryVectorStorageTests.Recorder(instrumentation.Meter);
        var backend = new Backend();
        backend.Operations.ApplyAsync(default!, default!, default, default, default).ReturnsForAnyArgs(new OperationBatchResult(
            [new RecordOperationResult(0, RecordOperationKind.Upsert, VectorId.Parse("a"), true), new RecordOperationResult(1, RecordOperationKind.Restore, VectorId.Parse("b"), false, ErrorCodes.RecordNotFound, "missing")],
            false,
            TimeSpan.Zero));
        var storage = new TelemetryVectorStorage(backend.Storage, instrumentation);

        await storage.GetRequiredService<IRecordOperationsStorage>().ApplyAsync(Index, [RecordOperation.Upsert(new VectorRecord(VectorId.Parse("a"), Query)), RecordOperation.Restore(VectorId.Parse("b"))]);
        await storage.GetRequiredService<IIndexMaintenanceStorage>().SweepExpiredAsync(Index);
        await storage.GetRequiredService<IIndexMaintenanceStorage>().CompactAsync(Index);
        tracing.ForceFlush();

        var span = Assert.Single(spans, s => s.DisplayName == "apply_operations ops");
        Assert.Equal(2, span.GetTagItem("db.operation.batch.size"));
        Assert.Equal(1L, span.GetTagItem("db.response.returned_rows"));
        Assert.Contains(spans, s => s.DisplayName == "sweep_expired ops");
        Assert.Contains(spans, s => s.DisplayName == "compact ops");
        var counted = metrics.Longs("theodore.storage.record_operations");
        Assert.Equal(["restore:record_not_found", "upsert:"], counted.Select(m => $"{m.Tags["db.operation.name"]}:{(m.Tags.TryGetValue("error.type", out var e) ? e : null)}").Order(StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.Equal(3, Assert.Single(metrics.Longs("theodore.storage.swept")).Value);
        Assert.Equal(3, Assert.Single(metrics.Longs("theodore.storage.compacted")).Value);
    }
}
