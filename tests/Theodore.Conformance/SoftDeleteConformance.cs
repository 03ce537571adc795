using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Xunit;

namespace Theodore.Conformance;

/// <summary>
/// Soft delete and restore (<see cref="StorageCapabilities.SoftDelete"/>): a soft-deleted record is invisible to get,
/// fetch, list, search, search by id (as the query too) and the counts, appears in fetch and list only when asked,
/// can be restored whole, and is replaced by an upsert or removed by a hard delete. Without the capability every
/// test here proves the refusal instead (<see cref="UnsupportedOperationException"/>, nothing applied).
/// </summary>
public abstract class SoftDeleteConformance : ConformanceSuite
{
    [Fact]
    public async Task A_soft_deleted_record_is_invisible_everywhere_but_where_deleted_ones_are_asked_for()
    {
        var (ops, index) = await ArrangeAsync();
        if (ops is null)
        {
            return;
        }

        var result = await ops.ApplyAsync(index, [RecordOperation.SoftDelete(Id("a"))]);
        await SettleAsync(index);

        Assert.True(result.Results[0].Applied);
        Assert.Null(result.Results[0].ErrorCode);
        Assert.Null(await Storage.GetAsync(index, Id("a")));
        Assert.Equal(["b"], IdsOf(await ops.GetManyAsync(index, [Id("a"), Id("b")], includeDeleted: false)));
        if (Storage.GetService<IBatchVectorStorage>() is { } batch)
        {
            Assert.Equal(["b"], IdsOf(await batch.GetManyAsync(index, [Id("a"), Id("b")])));
        }

        var withDeleted = await ops.GetManyAsync(index, [Id("a"), Id("b")], includeDeleted: true);
        Assert.Equal(["a", "b"], IdsOf(withDeleted));
        Assert.NotNull(withDeleted[0].DeletedAt);
        Assert.Null(withDeleted[1].DeletedAt);
        Assert.Equal(Meta(("k", "a")), withDeleted[0].Metadata);

        AssertListed(["b", "c"], IdsOf((await ListPageAsync(index, new ListRequest())).Records));
        var listed = (await ListPageAsync(index, new ListRequest { IncludeDeleted = true })).Records;
        AssertListed(["a", "b", "c"], IdsOf(listed));
        Assert.NotNull(listed.Single(r => r.Id.Value == "a").DeletedAt);

        Assert.Equal(["b", "c"], IdsOf(await SearchAsync(index, [1, 0], new SearchOptions { TopK = 10 })));
        Assert.Equal(["c"], IdsOf(await Storage.SearchByIdAsync(index, Id("b"), new SearchOptions { TopK = 10 })));
        await Assert.ThrowsAsync<RecordNotFoundException>(async () => await Storage.SearchByIdAsync(index, Id("a"), new SearchOptions { TopK = 10 }));

        Assert.Equal(2, (await Storage.DescribeIndexAsync(index)).VectorCount);
        var stats = await Storage.GetStatsAsync(index);
        Assert.Equal(2, stats.TotalVectors);
        Assert.Equal(1, stats.SoftDeletedVectors);
    }

    [Fact]
    public async Task Restore_brings_back_the_record_whole_and_answers_each_state_as_the_reference_does()
    {
        var (ops, index) = await ArrangeAsync();
        if (ops is null)
        {
            return;
        }

        await ops.ApplyAsync(index, [RecordOperation.SoftDelete(Id("a"))]);
        await SettleAsync(index);

        var result = await ops.ApplyAsync(
            index,
            [
                RecordOperation.SoftDelete(Id("a")),
                RecordOperation.SoftDelete(Id("missing")),
                RecordOperation.UpdateMetadata(Id("a"), Meta(("k", "changed")), MetadataUpdateMode.Merge),
                RecordOperation.Restore(Id("a")),
                RecordOperation.Restore(Id("a")),
                RecordOperation.Restore(Id("b")),
                RecordOperation.Restore(Id("missing")),
            ]);
        await SettleAsync(index);

        Assert.Equal([false, false, false, true, false, false, false], result.Results.Select(r => r.Applied));
        Assert.Equal([null, ErrorCodes.RecordNotFound, ErrorCodes.RecordNotFound, null, null, null, ErrorCodes.RecordNotFound], result.Results.Select(r => r.ErrorCode), StringComparer.Ordinal);
        var a = await Storage.GetAsync(index, Id("a"));
        Assert.NotNull(a);
        Assert.Null(a.DeletedAt);
        Assert.Equal(Meta(("k", "a")), a.Metadata);
        AssertStoredValues([1, 0], a.Values, DistanceMetric.Euclidean);
        Assert.Equal(["a", "b", "c"], IdsOf(await SearchAsync(index, [1, 0], new SearchOptions { TopK = 10 })));
        var stats = await Storage.GetStatsAsync(index);
        Assert.Equal(3, stats.TotalVectors);
        Assert.Equal(0, stats.SoftDeletedVectors);
    }

    [Fact]
    public async Task An_upsert_replaces_a_soft_deleted_record_with_a_live_one_and_a_delete_removes_it_for_good()
    {
        var (ops, index) = await ArrangeAsync();
        if (ops is null)
        {
            return;
        }

        await ops.ApplyAsync(index, [RecordOperation.SoftDelete(Id("a")), RecordOperation.SoftDelete(Id("b"))]);
        await SettleAsync(index);

        var result = await ops.ApplyAsync(index, [RecordOperation.Upsert(Record("a", [5, 0], Meta(("fresh", true)))), RecordOperation.Delete(Id("b"))]);
        await SettleAsync(index);

        Assert.Equal([true, true], result.Results.Select(r => r.Applied));
        var a = await Storage.GetAsync(index, Id("a"));
        Assert.NotNull(a);
        Assert.Equal(Meta(("fresh", true)), a.Metadata);
        Assert.Empty(await ops.GetManyAsync(index, [Id("b")], includeDeleted: true));
        var restoreDeleted = await ops.ApplyAsync(index, [RecordOperation.Restore(Id("b"))]);
        Assert.Equal(ErrorCodes.RecordNotFound, restoreDeleted.Results[0].ErrorCode);
        var stats = await Storage.GetStatsAsync(index);
        Assert.Equal(2, stats.TotalVectors);
        Assert.Equal(0, stats.SoftDeletedVectors);
    }

    [Fact]
    public async Task DeleteAsync_of_a_soft_deleted_record_removes_it()
    {
        var (ops, index) = await ArrangeAsync();
        if (ops is null)
        {
            return;
        }

        await ops.ApplyAsync(index, [RecordOperation.SoftDelete(Id("c"))]);
        await SettleAsync(index);

        Assert.True(await Storage.DeleteAsync(index, Id("c")));
        await SettleAsync(index);

        Assert.Empty(await ops.GetManyAsync(index, [Id("c")], includeDeleted: true));
        Assert.Equal(0, (await Storage.GetStatsAsync(index)).SoftDeletedVectors);
    }

    [Fact]
    public async Task Atomic_soft_delete_of_a_missing_record_refuses_the_batch()
    {
        var (ops, index) = await ArrangeAsync();
        if (ops is null || !Capabilities.AtomicBatches)
        {
            return;
        }

        await Assert.ThrowsAsync<RecordNotFoundException>(async () =>
            await ops.ApplyAsync(index, [RecordOperation.SoftDelete(Id("a")), RecordOperation.Restore(Id("missing"))], options: OperationBatchOptions.AllOrNothing));
        await SettleAsync(index);

        Assert.NotNull(await Storage.GetAsync(index, Id("a")));
        Assert.Equal(0, (await Storage.GetStatsAsync(index)).SoftDeletedVectors);
    }

    /// <summary>
    /// Three records a [1,0] {k:a}, b [2,0], c [3,0] in a Euclidean index and the port; without soft delete it proves
    /// the port's refusals (soft delete and restore, fetch with deleted ones) and answers null.
    /// </summary>
    private async Task<(IRecordOperationsStorage? Ops, IndexName Index)> ArrangeAsync()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0], Meta(("k", "a"))), Record("b", [2, 0]), Record("c", [3, 0]));
        var ops = PortOrAssertUnsupported<IRecordOperationsStorage>();
        if (Capabilities.SoftDelete)
        {
            Assert.NotNull(ops);
            return (ops, index);
        }

        // listing with deleted ones and a plain write are IVectorStorage's own: RecordOperationsConformance proves those refusals
        if (ops is not null)
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await ops.ApplyAsync(index, [RecordOperation.Delete(Id("b")), RecordOperation.SoftDelete(Id("a"))]));
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await ops.ApplyAsync(index, [RecordOperation.Delete(Id("b")), RecordOperation.Restore(Id("a"))]));
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await ops.GetManyAsync(index, [Id("a")], includeDeleted: true));
            await SettleAsync(index);
            Assert.NotNull(await Storage.GetAsync(index, Id("b")));
        }

        Assert.Null((await Storage.GetStatsAsync(index)).SoftDeletedVectors);
        return (null, index);
    }
}
