using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests;

public sealed class RecordOperationsTests
{
    private static readonly IndexName Index = IndexName.Parse("ops");
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Capabilities_declare_mixed_atomic_batches_soft_delete_ttl_and_compaction_and_offer_their_ports()
    {
        var storage = new NativeVectorStorage();

        Assert.True(storage.Capabilities.MixedBatches);
        Assert.True(storage.Capabilities.AtomicBatches);
        Assert.True(storage.Capabilities.SoftDelete);
        Assert.True(storage.Capabilities.Ttl);
        Assert.True(storage.Capabilities.Compaction);
        Assert.Same(storage, storage.GetService(typeof(IRecordOperationsStorage)));
        Assert.Same(storage, storage.GetService(typeof(IIndexMaintenanceStorage)));
    }

    [Fact]
    public async Task ApplyAsync_non_atomic_mixed_batch_answers_each_operation_in_order_and_applies_what_it_can()
    {
        var (storage, _) = await CreateAsync();
        await SeedAsync(storage, "a", "b", "c");

        var result = await Ops(storage).ApplyAsync(Index, [
            RecordOperation.Upsert(Rec("d", 4)),
            RecordOperation.SoftDelete(Id("a")),
            RecordOperation.SoftDelete(Id("a")),
            RecordOperation.Restore(Id("b")),
            RecordOperation.Restore(Id("zz")),
            RecordOperation.UpdateMetadata(Id("b"), Metadata.Create([new("extra", "yes")]), MetadataUpdateMode.Merge),
            RecordOperation.UpdateMetadata(Id("c"), Metadata.Create([new("only", 1)]), MetadataUpdateMode.Replace),
            RecordOperation.SetExpiry(Id("d"), Start.AddHours(1)),
            RecordOperation.Delete(Id("missing")),
            RecordOperation.UpdateMetadata(Id("a"), Metadata.Empty, MetadataUpdateMode.Merge),
            RecordOperation.Upsert(new VectorRecord(Id("bad"), new float[] { 1, float.NaN, 0 })),
        ]);

        Assert.Equal([true, true, false, false, false, true, true, true, false, false, false], result.Results.Select(r => r.Applied));
        Assert.Equal(Enumerable.Range(0, 11), result.Results.Select(r => r.Position));
        Assert.Equal(ErrorCodes.RecordNotFound, result.Results[4].ErrorCode);
        Assert.Equal(ErrorCodes.RecordNotFound, result.Results[9].ErrorCode);
        Assert.Equal(ErrorCodes.InvalidRequest, result.Results[10].ErrorCode);
        Assert.Contains("operations[10].record.values", result.Results[10].ErrorMessage, StringComparison.Ordinal);
        Assert.Null(result.Results[2].ErrorCode);
        Assert.Equal(8, result.Succeeded);
        Assert.Equal(3, result.Failed);
        Assert.False(result.Atomic);

        Assert.Null(await storage.GetAsync(Index, Id("a")));
        var b = (await storage.GetAsync(Index, Id("b")))!;
        Assert.Equal("yes", b.Metadata["extra"].AsString);
        Assert.Equal("b", b.Metadata["name"].AsString);
        var c = (await storage.GetAsync(Index, Id("c")))!;
        Assert.Equal(["only"], c.Metadata.Keys, StringComparer.Ordinal);
        Assert.Equal(Start.AddHours(1), (await storage.GetAsync(Index, Id("d")))!.ExpiresAt);
        Assert.Null(await storage.GetAsync(Index, Id("bad")));
    }

    [Fact]
    public async Task ApplyAsync_atomic_batch_naming_a_missing_record_is_refused_whole_with_nothing_applied()
    {
        var (storage, _) = await CreateAsync();
        await SeedAsync(storage, "a", "b");

        var error = await Assert.ThrowsAsync<RecordNotFoundException>(async () => await Ops(storage).ApplyAsync(
            Index,
            [RecordOperation.Upsert(Rec("new", 9)), RecordOperation.SoftDelete(Id("a")), RecordOperation.Restore(Id("nope")), RecordOperation.UpdateMetadata(Id("ghost"), Metadata.Empty, MetadataUpdateMode.Replace)],
            options: OperationBatchOptions.AllOrNothing));

        Assert.Contains("operations[2]", error.Message, StringComparison.Ordinal);
        Assert.Contains("operations[3]", error.Message, StringComparison.Ordinal);
        Assert.Equal(ErrorCodes.RecordNotFound, error.Code);
        Assert.Null(await storage.GetAsync(Index, Id("new")));
        Assert.NotNull(await storage.GetAsync(Index, Id("a")));
        Assert.Equal(2, (await storage.GetStatsAsync(Index)).TotalVectors);
    }

    [Fact]
    public async Task ApplyAsync_atomic_batch_with_bad_input_lists_every_problem_and_applies_nothing()
    {
        var (storage, _) = await CreateAsync();
        await SeedAsync(storage, "a");

        var error = await Assert.ThrowsAsync<InvalidRequestException>(async () => await Ops(storage).ApplyAsync(
            Index,
            [RecordOperation.SoftDelete(Id("a")), RecordOperation.Upsert(new VectorRecord(Id("x"), new float[] { 1, 2 })), RecordOperation.Upsert(new VectorRecord(Id("y"), new float[] { 1, float.PositiveInfinity, 0 }))],
            options: OperationBatchOptions.AllOrNothing));

        Assert.Equal(["operations[1].record.values", "operations[2].record.values[1]"], error.Errors.Select(e => e.Path), StringComparer.Ordinal);
        Assert.NotNull(await storage.GetAsync(Index, Id("a")));
    }

    [Fact]
    public async Task ApplyAsync_atomic_batch_that_is_valid_applies_every_operation_in_order()
    {
        var (storage, _) = await CreateAsync();
        await SeedAsync(storage, "a", "b");

        var result = await Ops(storage).ApplyAsync(
            Index,
            [RecordOperation.SoftDelete(Id("a")), RecordOperation.Restore(Id("a")), RecordOperation.Delete(Id("b")), RecordOperation.Upsert(Rec("b", 7)), RecordOperation.SoftDelete(Id("b"))],
            options: OperationBatchOptions.AllOrNothing);

        Assert.True(result.Atomic);
        Assert.All(result.Results, r => Assert.True(r.Applied));
        Assert.NotNull(await storage.GetAsync(Index, Id("a")));
        var b = Assert.Single(await Ops(storage).GetManyAsync(Index, [Id("b")], includeDeleted: true));
        Assert.NotNull(b.DeletedAt);
        Assert.Equal(Vector(7), b.Values.ToArray());
    }

    [Fact]
    public async Task Soft_deleted_records_are_hidden_from_every_read_unless_asked_for_and_counted_apart()
    {
        var (storage, clock) = await CreateAsync();
        await SeedAsync(storage, "a", "b", "c", "d");
        await Ops(storage).ApplyAsync(Index, [RecordOperation.SoftDelete(Id("b"))]);

        Assert.Null(await storage.GetAsync(Index, Id("b")));
        Assert.Equal(["a", "c"], (await storage.GetManyAsync(Index, [Id("a"), Id("b"), Id("c")])).Select(r => r.Id.Value), StringComparer.Ordinal);
        var withDeleted = await Ops(storage).GetManyAsync(Index, [Id("a"), Id("b")], includeDeleted: true);
        Assert.Equal(clock.Now, withDeleted[1].DeletedAt);
        Assert.Null(withDeleted[0].DeletedAt);
        Assert.Equal(["a", "c", "d"], (await storage.ListAsync(Index, new ListRequest())).Records.Select(r => r.Id.Value), StringComparer.Ordinal);
        var listed = (await storage.ListAsync(Index, new ListRequest { IncludeDeleted = true })).Records;
        Assert.Equal(["a", "b", "c", "d"], listed.Select(r => r.Id.Value), StringComparer.Ordinal);
        Assert.NotNull(listed[1].DeletedAt);
        var hits = await storage.SearchAsync(Index, Vector(2), new SearchOptions { TopK = 10 });
        Assert.DoesNotContain(hits.Matches, m => m.Id.Value == "b");
        Assert.Equal(3, hits.Matches.Count);
        await Assert.ThrowsAsync<RecordNotFoundException>(async () => await storage.SearchByIdAsync(Index, Id("b"), new SearchOptions { TopK = 3 }));
        Assert.DoesNotContain((await storage.SearchByIdAsync(Index, Id("a"), new SearchOptions { TopK = 10 })).Matches, m => m.Id.Value == "b");
        var stats = await storage.GetStatsAsync(Index);
        Assert.Equal(3, stats.TotalVectors);
        Assert.Equal(1, stats.SoftDeletedVectors);
        Assert.Equal(3, (await storage.DescribeIndexAsync(Index)).VectorCount);
    }

    [Fact]
    public async Task Expired_records_vanish_when_the_clock_passes_and_the_sweep_deletes_them()
    {
        var (storage, clock) = await CreateAsync();
        await SeedAsync(storage, "a", "b");
        await storage.UpsertAsync(Index, Rec("t1", 3) with { ExpiresAt = Start.AddMinutes(5) });
        await storage.UpsertManyAsync(Index, [Rec("t2", 4) with { ExpiresAt = Start.AddMinutes(10) }, Rec("t3", 5)]);
        await storage.UpsertAsync(Index, Rec("past", 6) with { ExpiresAt = Start.AddSeconds(-1) });

        Assert.Null(await storage.GetAsync(Index, Id("past")));
        Assert.Equal(Start.AddMinutes(5), (await storage.GetAsync(Index, Id("t1")))!.ExpiresAt);
        clock.Now = Start.AddMinutes(7);

        Assert.Null(await storage.GetAsync(Index, Id("t1")));
        Assert.Empty(await Ops(storage).GetManyAsync(Index, [Id("t1")], includeDeleted: true));
        Assert.DoesNotContain((await storage.ListAsync(Index, new ListRequest { IncludeDeleted = true })).Records, r => r.Id.Value == "t1");
        Assert.DoesNotContain((await storage.SearchAsync(Index, Vector(3), new SearchOptions { TopK = 10, Exact = true })).Matches, m => m.Id.Value is "t1" or "past");
        await Assert.ThrowsAsync<RecordNotFoundException>(async () => await storage.SearchByIdAsync(Index, Id("t1"), new SearchOptions { TopK = 3 }));
        var setOnExpired = await Ops(storage).ApplyAsync(Index, [RecordOperation.SetExpiry(Id("t1"), null), RecordOperation.Delete(Id("t1"))]);
        Assert.Equal(ErrorCodes.RecordNotFound, setOnExpired.Results[0].ErrorCode);
        Assert.False(setOnExpired.Results[1].Applied);
        var stats = await storage.GetStatsAsync(Index);
        Assert.Equal(4, stats.TotalVectors);
        Assert.Equal(1, stats.ExpiredVectors);

        clock.Now = Start.AddMinutes(11);
        Assert.False(await storage.DeleteAsync(Index, Id("past")));
        Assert.Equal(1, await Maintenance(storage).SweepExpiredAsync(Index));

        stats = await storage.GetStatsAsync(Index);
        Assert.Equal(3, stats.TotalVectors);
        Assert.Equal(0, stats.ExpiredVectors);
        Assert.Equal(0, await Maintenance(storage).SweepExpiredAsync(Index));
    }

    [Fact]
    public async Task CompactAsync_purges_soft_deleted_and_expired_records_and_reclaims_tombstones()
    {
        var (storage, clock) = await CreateAsync();
        var ids = Enumerable.Range(0, 60).Select(i => $"r{i}").ToArray();
        await SeedAsync(storage, ids);
        await Ops(storage).ApplyAsync(Index, [.. ids.Take(10).Select(id => RecordOperation.SoftDelete(Id(id)))]);
        await Ops(storage).ApplyAsync(Index, [.. ids.Skip(10).Take(5).Select(id => RecordOperation.SetExpiry(Id(id), Start.AddSeconds(1)))]);
        await storage.DeleteManyAsync(Index, [.. ids.Skip(15).Take(20).Select(Id)]);
        clock.Now = Start.AddSeconds(2);

        var compaction = await Maintenance(storage).CompactAsync(Index);

        Assert.Equal(10, compaction.PurgedSoftDeleted);
        Assert.Equal(5, compaction.PurgedExpired);
        Assert.Equal(35, compaction.ReclaimedTombstones);
        var stats = await storage.GetStatsAsync(Index);
        Assert.Equal(25, stats.TotalVectors);
        Assert.Equal(0, stats.SoftDeletedVectors);
        var restore = await Ops(storage).ApplyAsync(Index, [RecordOperation.Restore(Id("r0"))]);
        Assert.Equal(ErrorCodes.RecordNotFound, restore.Results[0].ErrorCode);
        Assert.Equal("r40", (await storage.SearchAsync(Index, Vector(40), new SearchOptions { TopK = 1 })).Matches[0].Id.Value);
        Assert.Empty((await ((IIntegrityCheckedStorage)storage).CheckIntegrityAsync(Index)).Problems);
    }

    private static async Task<(NativeVectorStorage Storage, ManualClock Clock)> CreateAsync()
    {
        var clock = new ManualClock(Start);
        var storage = new NativeVectorStorage(time: clock);
        await storage.CreateIndexAsync(new IndexDefinition(Index, 3, DistanceMetric.Euclidean));
        return (storage, clock);
    }

    private static async Task SeedAsync(NativeVectorStorage storage, params string[] ids)
    {
        var records = ids.Select(id => new VectorRecord(Id(id), Vector(Seed(id)), Metadata.Create([new("name", id)]))).ToList();
        await storage.UpsertManyAsync(Index, records);
    }

    // r12 -> 12, a -> 97: distinct vectors, and r-numbered ones searchable by their number.
    private static int Seed(string id) =>
        id.Length > 1 && int.TryParse(id.AsSpan(1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : id[0];

    private static IRecordOperationsStorage Ops(NativeVectorStorage storage) => (IRecordOperationsStorage)storage.GetService(typeof(IRecordOperationsStorage))!;

    private static IIndexMaintenanceStorage Maintenance(NativeVectorStorage storage) => (IIndexMaintenanceStorage)storage.GetService(typeof(IIndexMaintenanceStorage))!;

    private static VectorId Id(string id) => VectorId.Parse(id);

    private static VectorRecord Rec(string id, int seed) => new(Id(id), Vector(seed));

    private static float[] Vector(int seed) => [seed, seed % 7, 1];
}
