using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Xunit;

namespace Theodore.Conformance;

/// <summary>
/// <see cref="IIndexMaintenanceStorage"/>: compaction purges soft-deleted and expired records for good
/// (<see cref="StorageCapabilities.Compaction"/>), the sweep deletes expired ones (<see cref="StorageCapabilities.Ttl"/>).
/// A backend without the capability refuses with <see cref="UnsupportedOperationException"/>.
/// </summary>
public abstract class IndexMaintenanceConformance : ConformanceSuite
{
    [Fact]
    public void The_port_is_offered_when_compaction_or_expiry_is()
    {
        var port = Storage.GetService<IIndexMaintenanceStorage>();

        if (Capabilities.Compaction || Capabilities.Ttl)
        {
            Assert.NotNull(port);
        }

        if (port is null)
        {
            Assert.Throws<UnsupportedOperationException>(() => Storage.GetRequiredService<IIndexMaintenanceStorage>());
        }
    }

    [Fact]
    public async Task CompactAsync_purges_soft_deleted_and_expired_records_and_keeps_the_live_ones()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Enumerable.Range(0, 6).Select(i => Record($"r{i}", [i + 1, 0])).ToArray());
        var maintenance = Storage.GetService<IIndexMaintenanceStorage>();
        if (!Capabilities.Compaction)
        {
            if (maintenance is not null)
            {
                await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await maintenance.CompactAsync(index));
            }

            return;
        }

        Assert.NotNull(maintenance);
        var ops = Capabilities.SoftDelete || Capabilities.Ttl ? Storage.GetRequiredService<IRecordOperationsStorage>() : null;
        var expected = new CompactionResult(0, 0, 0, 0, 0, TimeSpan.Zero);
        if (Capabilities.SoftDelete)
        {
            await ops!.ApplyAsync(index, [RecordOperation.SoftDelete(Id("r0")), RecordOperation.SoftDelete(Id("r1"))]);
            expected = expected with { PurgedSoftDeleted = 2 };
        }

        if (Capabilities.Ttl)
        {
            await ops!.ApplyAsync(index, [RecordOperation.SetExpiry(Id("r2"), Now.AddSeconds(-1))]);
            expected = expected with { PurgedExpired = 1 };
        }

        await Storage.DeleteAsync(index, Id("r5"));
        await SettleAsync(index);
        var live = 5 - expected.PurgedSoftDeleted - expected.PurgedExpired;

        var result = await maintenance.CompactAsync(index);
        await SettleAsync(index);

        Assert.Equal(expected.PurgedSoftDeleted, result.PurgedSoftDeleted);
        Assert.Equal(expected.PurgedExpired, result.PurgedExpired);
        Assert.True(result.ReclaimedTombstones >= 0);
        Assert.True(result.Duration >= TimeSpan.Zero);
        Assert.True(result.MemoryBytesAfter <= result.MemoryBytesBefore, $"memory grew from {result.MemoryBytesBefore} to {result.MemoryBytesAfter}");
        var stats = await Storage.GetStatsAsync(index);
        Assert.Equal(live, stats.TotalVectors);
        Assert.Equal(Capabilities.SoftDelete ? 0 : null, stats.SoftDeletedVectors);
        Assert.Equal(Capabilities.Ttl ? 0 : null, stats.ExpiredVectors);
        Assert.Equal(live, (await ListPageAsync(index, new ListRequest { IncludeDeleted = Capabilities.SoftDelete })).Records.Count);
        Assert.Equal(live, (await SearchAsync(index, [0, 0], new SearchOptions { TopK = 10 })).Matches.Count);
        if (Capabilities.SoftDelete)
        {
            Assert.Empty(await ops!.GetManyAsync(index, [Id("r0"), Id("r1")], includeDeleted: true));
            var restore = await ops.ApplyAsync(index, [RecordOperation.Restore(Id("r0"))]);
            Assert.Equal(ErrorCodes.RecordNotFound, restore.Results[0].ErrorCode);
        }

        var again = await maintenance.CompactAsync(index);
        Assert.Equal(0, again.PurgedSoftDeleted + again.PurgedExpired);
    }

    [Fact]
    public async Task SweepExpiredAsync_deletes_the_expired_records_and_nothing_else()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [2, 0]));
        var maintenance = Storage.GetService<IIndexMaintenanceStorage>();
        if (!Capabilities.Ttl)
        {
            if (maintenance is not null)
            {
                await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await maintenance.SweepExpiredAsync(index));
            }

            return;
        }

        Assert.NotNull(maintenance);
        await UpsertAsync(
            index,
            Record("old1", [3, 0]) with { ExpiresAt = Now.AddMinutes(-2) },
            Record("old2", [4, 0]) with { ExpiresAt = Now.AddSeconds(-1) },
            Record("later", [5, 0]) with { ExpiresAt = Now.AddDays(1) });
        Assert.Equal(2, (await Storage.GetStatsAsync(index)).ExpiredVectors);

        var swept = await maintenance.SweepExpiredAsync(index);
        await SettleAsync(index);

        Assert.Equal(2, swept);
        var stats = await Storage.GetStatsAsync(index);
        Assert.Equal(0, stats.ExpiredVectors);
        Assert.Equal(3, stats.TotalVectors);
        Assert.NotNull(await Storage.GetAsync(index, Id("later")));
        Assert.Equal(0, await maintenance.SweepExpiredAsync(index));
    }

    [Fact]
    public async Task Maintenance_of_a_missing_index_throws_IndexNotFound()
    {
        var maintenance = Storage.GetService<IIndexMaintenanceStorage>();
        if (maintenance is null)
        {
            Assert.False(Capabilities.Compaction || Capabilities.Ttl);
            return;
        }

        var missing = UniqueIndexName();
        if (Capabilities.Compaction)
        {
            await Assert.ThrowsAsync<IndexNotFoundException>(async () => await maintenance.CompactAsync(missing));
        }

        if (Capabilities.Ttl)
        {
            await Assert.ThrowsAsync<IndexNotFoundException>(async () => await maintenance.SweepExpiredAsync(missing));
        }
    }
}
