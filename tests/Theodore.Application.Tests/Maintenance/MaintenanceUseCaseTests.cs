using Microsoft.Extensions.Logging.Abstractions;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Theodore.Application.Maintenance;
using Theodore.Application.Tests.Operations;
using Theodore.Application.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Tests.Maintenance;

public sealed class MaintenanceUseCaseTests
{
    private static readonly IndexName Other = IndexName.Parse("other");

    private static IndexStats Stats(long live, long? softDeleted, long? expired) =>
        new(live, 3, DistanceMetric.Cosine, null, new Dictionary<string, long>(), new Dictionary<string, long>(), null, null)
        {
            SoftDeletedVectors = softDeleted,
            ExpiredVectors = expired,
        };

    private static OperationsFixture WithIndexes(OperationsFixture fixture)
    {
        fixture.Storage.ListIndexesAsync(default).ReturnsForAnyArgs(new List<IndexInfo> { StorageFixture.Info(), new(new IndexDefinition(Other, 3, DistanceMetric.Cosine), 0, null, null) });
        return fixture;
    }

    [Fact]
    public async Task Compact_returns_what_the_port_removed()
    {
        var fixture = new OperationsFixture();
        var removed = new CompactionResult(3, 2, 7, 1000, 600, TimeSpan.FromMilliseconds(12));
        fixture.Maintenance.CompactAsync(StorageFixture.Companies, Arg.Any<CancellationToken>()).Returns(removed);

        Assert.Same(removed, await new CompactIndexHandler(fixture.Storage).Handle(new CompactIndex("companies"), CancellationToken.None));
    }

    [Fact]
    public async Task Compact_without_the_capability_or_the_port_is_unsupported()
    {
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => new CompactIndexHandler(new OperationsFixture(compaction: false).Storage).Handle(new CompactIndex("companies"), CancellationToken.None));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => new CompactIndexHandler(new OperationsFixture(port: false).Storage).Handle(new CompactIndex("companies"), CancellationToken.None));
    }

    [Fact]
    public async Task Validate_bad_index_and_hnsw_are_listed()
    {
        Assert.Equal(["index"], await Validation.PathsAsync(new CompactIndexValidator(), new CompactIndex("Bad Name")));
        Assert.Equal(["index", "hnsw.m"], await Validation.PathsAsync(new StartRebuildValidator(), new StartRebuild("", 1)));
        Assert.Equal(["hnsw.efConstruction"], await Validation.PathsAsync(new StartRebuildValidator(), new StartRebuild("companies", EfConstruction: 1)));
        Assert.Empty(await Validation.PathsAsync(new StartRebuildValidator(), new StartRebuild("companies", 32)));
    }

    [Fact]
    public async Task StartRebuild_passes_the_options_given_or_none()
    {
        var storage = Substitute.For<IVectorStorage>();
        var rebuild = Substitute.For<IOnlineRebuildStorage>();
        storage.Capabilities.Returns(new StorageCapabilities { SystemName = "test", OnlineRebuild = true });
        storage.GetService(typeof(IOnlineRebuildStorage), Arg.Any<object?>()).Returns(rebuild);
        rebuild.StartRebuildAsync(default!, default, default).ReturnsForAnyArgs(c => RebuildStatus.NotStarted(c.ArgAt<HnswOptions?>(1) ?? HnswOptions.Default) with { Phase = RebuildPhase.Building });

        var withM = await new StartRebuildHandler(storage).Handle(new StartRebuild("companies", M: 32), CancellationToken.None);
        await new StartRebuildHandler(storage).Handle(new StartRebuild("companies"), CancellationToken.None);

        Assert.Equal((32, HnswOptions.DefaultEfConstruction), (withM.Hnsw.M, withM.Hnsw.EfConstruction));
        await rebuild.Received(1).StartRebuildAsync(StorageFixture.Companies, null, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Rebuild_without_the_capability_is_unsupported()
    {
        var fixture = new OperationsFixture();

        await Assert.ThrowsAsync<UnsupportedOperationException>(() => new StartRebuildHandler(fixture.Storage).Handle(new StartRebuild("companies"), CancellationToken.None));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => new GetRebuildStatusHandler(fixture.Storage).Handle(new GetRebuildStatus("companies"), CancellationToken.None));
    }

    [Fact]
    public async Task Sweep_runs_on_every_index_and_goes_on_past_a_failure()
    {
        var fixture = WithIndexes(new OperationsFixture());
        fixture.Maintenance.SweepExpiredAsync(StorageFixture.Companies, Arg.Any<CancellationToken>()).ThrowsAsync(new StorageUnavailableException("down"));
        fixture.Maintenance.SweepExpiredAsync(Other, Arg.Any<CancellationToken>()).Returns(4L);

        var swept = await new IndexMaintenance(fixture.Storage, NullLoggerFactory.Instance).SweepExpiredAsync(CancellationToken.None);

        Assert.Equal(new Dictionary<string, long> { ["other"] = 4 }, swept);
    }

    [Fact]
    public async Task Sweep_on_a_backend_without_ttl_asks_nothing()
    {
        var fixture = WithIndexes(new OperationsFixture(ttl: false));

        Assert.Empty(await new IndexMaintenance(fixture.Storage, NullLoggerFactory.Instance).SweepExpiredAsync(CancellationToken.None));

        await fixture.Maintenance.DidNotReceiveWithAnyArgs().SweepExpiredAsync(default!, default);
    }

    [Fact]
    public async Task CompactDue_compacts_only_the_indexes_the_policy_finds_due()
    {
        var fixture = WithIndexes(new OperationsFixture());
        fixture.Storage.GetStatsAsync(StorageFixture.Companies, Arg.Any<CancellationToken>()).Returns(Stats(live: 60, softDeleted: 30, expired: 10));
        fixture.Storage.GetStatsAsync(Other, Arg.Any<CancellationToken>()).Returns(Stats(live: 990, softDeleted: 10, expired: null));
        fixture.Maintenance.CompactAsync(default!, default).ReturnsForAnyArgs(new CompactionResult(30, 10, 0, 0, 0, TimeSpan.Zero));
        var policy = new CompactionPolicy { Enabled = true, MinDeleted = 20, MinDeletedRatio = 0.25 };

        var compacted = await new IndexMaintenance(fixture.Storage, NullLoggerFactory.Instance).CompactDueAsync(policy, CancellationToken.None);

        Assert.Equal(["companies"], compacted.Keys);
        await fixture.Maintenance.DidNotReceive().CompactAsync(Other, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task CompactDue_with_the_policy_off_asks_nothing()
    {
        var fixture = WithIndexes(new OperationsFixture());

        Assert.Empty(await new IndexMaintenance(fixture.Storage, NullLoggerFactory.Instance).CompactDueAsync(CompactionPolicy.Off, CancellationToken.None));

        await fixture.Storage.DidNotReceiveWithAnyArgs().GetStatsAsync(default!, default);
        await fixture.Maintenance.DidNotReceiveWithAnyArgs().CompactAsync(default!, default);
    }
}
