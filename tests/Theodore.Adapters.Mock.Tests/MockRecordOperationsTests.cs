using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;

namespace Theodore.Adapters.Mock.Tests;

/// <summary>The reference's details beyond the conformance suites: the clock's edge, states that meet, and the call log.</summary>
public sealed class MockRecordOperationsTests
{
    private static readonly IndexName Index = IndexName.Parse("companies");
    private static readonly DateTimeOffset T0 = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public async Task A_record_expires_at_its_expiry_exactly_not_a_tick_later()
    {
        var clock = new ManualClock(T0);
        var storage = await CreateAsync(clock);
        await storage.UpsertAsync(Index, Record("a", 1) with { ExpiresAt = T0.AddSeconds(10) });

        clock.Now = T0.AddSeconds(10).AddTicks(-1);
        Assert.NotNull(await storage.GetAsync(Index, VectorId.Parse("a")));

        clock.Now = T0.AddSeconds(10);
        Assert.Null(await storage.GetAsync(Index, VectorId.Parse("a")));
        Assert.Equal(1, (await storage.GetStatsAsync(Index)).ExpiredVectors);
    }

    [Fact]
    public async Task A_soft_deleted_record_that_expires_is_counted_and_purged_as_expired()
    {
        var clock = new ManualClock(T0);
        var storage = await CreateAsync(clock);
        await storage.UpsertAsync(Index, Record("a", 1) with { ExpiresAt = T0.AddMinutes(1) });
        await storage.UpsertAsync(Index, Record("b", 2));
        await storage.ApplyAsync(Index, [RecordOperation.SoftDelete(VectorId.Parse("a")), RecordOperation.SoftDelete(VectorId.Parse("b"))]);
        Assert.Equal(2, (await storage.GetStatsAsync(Index)).SoftDeletedVectors);

        clock.Now = T0.AddMinutes(2);
        var stats = await storage.GetStatsAsync(Index);
        Assert.Equal(1, stats.SoftDeletedVectors);
        Assert.Equal(1, stats.ExpiredVectors);
        Assert.Equal(["b"], (await storage.GetManyAsync(Index, [VectorId.Parse("a"), VectorId.Parse("b")], includeDeleted: true)).Select(r => r.Id.Value), StringComparer.Ordinal);
        var restore = await storage.ApplyAsync(Index, [RecordOperation.Restore(VectorId.Parse("a"))]);
        Assert.Equal(ErrorCodes.RecordNotFound, restore.Results[0].ErrorCode);

        var compacted = await storage.CompactAsync(Index);

        Assert.Equal(1, compacted.PurgedSoftDeleted);
        Assert.Equal(1, compacted.PurgedExpired);
        Assert.Equal(0, compacted.ReclaimedTombstones);
        Assert.True(compacted.MemoryBytesAfter < compacted.MemoryBytesBefore);
    }

    [Fact]
    public async Task Hard_deletes_by_filter_and_all_remove_soft_deleted_records_and_count_those_that_existed()
    {
        var clock = new ManualClock(T0);
        var storage = await CreateAsync(clock);
        await storage.UpsertAsync(Index, Record("a", 1, "x"));
        await storage.UpsertAsync(Index, Record("b", 2, "x"));
        await storage.UpsertAsync(Index, Record("c", 3, "x") with { ExpiresAt = T0 });
        await storage.UpsertAsync(Index, Record("d", 4, "y"));
        await storage.ApplyAsync(Index, [RecordOperation.SoftDelete(VectorId.Parse("a"))]);

        Assert.Equal(2, await storage.DeleteByFilterAsync(Index, Filter.Eq("k", "x")));
        Assert.Empty(await storage.GetManyAsync(Index, [VectorId.Parse("a"), VectorId.Parse("c")], includeDeleted: true));
        var stats = await storage.GetStatsAsync(Index);
        Assert.Equal(0, stats.SoftDeletedVectors);
        Assert.Equal(0, stats.ExpiredVectors);

        await storage.ApplyAsync(Index, [RecordOperation.SoftDelete(VectorId.Parse("d"))]);
        Assert.Equal(1, await storage.DeleteAllAsync(Index));
        Assert.Equal(0, (await storage.GetStatsAsync(Index)).SoftDeletedVectors);
    }

    [Fact]
    public async Task Stats_count_live_records_per_namespace_and_field_only()
    {
        var clock = new ManualClock(T0);
        var storage = await CreateAsync(clock);
        await storage.UpsertAsync(Index, Record("a", 1, "x"), Namespace.Parse("left"));
        await storage.UpsertAsync(Index, Record("b", 2, "x"), Namespace.Parse("left"));
        await storage.UpsertAsync(Index, Record("c", 3, "x"), Namespace.Parse("right"));
        await storage.ApplyAsync(Index, [RecordOperation.SoftDelete(VectorId.Parse("a"))], Namespace.Parse("left"));
        await storage.ApplyAsync(Index, [RecordOperation.SetExpiry(VectorId.Parse("c"), T0)], Namespace.Parse("right"));

        var stats = await storage.GetStatsAsync(Index);

        Assert.Equal(1, stats.TotalVectors);
        Assert.Equal(new Dictionary<string, long>(StringComparer.Ordinal) { ["left"] = 1 }, stats.Namespaces);
        Assert.Equal(1, stats.MetadataFields["k"]);
        Assert.Equal(1, stats.SoftDeletedVectors);
        Assert.Equal(1, stats.ExpiredVectors);
        Assert.Equal(1, (await storage.DescribeIndexAsync(Index)).VectorCount);
    }

    [Fact]
    public async Task An_atomic_batch_sees_its_own_earlier_operations()
    {
        var storage = await CreateAsync(new ManualClock(T0));
        await storage.UpsertAsync(Index, Record("a", 1));

        var refused = await Assert.ThrowsAsync<RecordNotFoundException>(async () => await storage.ApplyAsync(
            Index,
            [
                RecordOperation.SoftDelete(VectorId.Parse("a")),
                RecordOperation.UpdateMetadata(VectorId.Parse("a"), Metadata.Create([new("k", "v")]), MetadataUpdateMode.Merge),
            ],
            options: OperationBatchOptions.AllOrNothing));
        Assert.Contains("operations[1]", refused.Message, StringComparison.Ordinal);
        Assert.NotNull(await storage.GetAsync(Index, VectorId.Parse("a")));

        var applied = await storage.ApplyAsync(
            Index,
            [
                RecordOperation.SoftDelete(VectorId.Parse("a")),
                RecordOperation.Restore(VectorId.Parse("a")),
                RecordOperation.UpdateMetadata(VectorId.Parse("a"), Metadata.Create([new("k", "v")]), MetadataUpdateMode.Merge),
            ],
            options: OperationBatchOptions.AllOrNothing);
        Assert.Equal(3, applied.Succeeded);
        Assert.Equal(Metadata.Create([new("k", "v")]), (await storage.GetAsync(Index, VectorId.Parse("a")))?.Metadata);
    }

    [Fact]
    public async Task Every_new_call_is_logged_under_its_name()
    {
        var storage = await CreateAsync(new ManualClock(T0));
        storage.ClearCalls();

        await storage.ApplyAsync(Index, [RecordOperation.Upsert(Record("a", 1))]);
        await storage.GetManyAsync(Index, [VectorId.Parse("a")], includeDeleted: true);
        await storage.CompactAsync(Index);
        await storage.SweepExpiredAsync(Index);

        Assert.Equal(["Apply", "GetMany", "Compact", "SweepExpired"], storage.Calls.Select(c => c.Operation), StringComparer.Ordinal);
        Assert.All(storage.Calls, c => Assert.Equal("companies", c.Index));
    }

    private static async Task<MockVectorStorage> CreateAsync(ManualClock clock)
    {
        var storage = new MockVectorStorage(time: clock);
        await storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Euclidean));
        return storage;
    }

    private static VectorRecord Record(string id, float x, string? k = null) =>
        new(VectorId.Parse(id), new[] { x, 0 }, k is null ? Metadata.Empty : Metadata.Create([new("k", k)]));
}
