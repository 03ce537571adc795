using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Theodore.Application.Operations;
using Theodore.Application.Tests.Support;
using Theodore.Application.Vectors;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Tests.Operations;

public sealed class SingleRecordOperationsTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task SoftDelete_applies_one_soft_delete()
    {
        var fixture = new OperationsFixture();

        var result = await new SoftDeleteVectorHandler(fixture.Storage).Handle(new SoftDeleteVector("companies", "a", "de"), CancellationToken.None);

        Assert.True(result.Applied);
        var op = Assert.Single(fixture.Applied());
        Assert.Equal((RecordOperationKind.SoftDelete, "a"), (op.Kind, op.Id.Value));
    }

    [Fact]
    public async Task SoftDelete_of_a_missing_record_is_record_not_found()
    {
        var fixture = new OperationsFixture();
        fixture.Answer(new RecordOperationResult(0, RecordOperationKind.SoftDelete, OperationsFixture.Id("a"), false, ErrorCodes.RecordNotFound, "missing"));

        await Assert.ThrowsAsync<RecordNotFoundException>(() => new SoftDeleteVectorHandler(fixture.Storage).Handle(new SoftDeleteVector("companies", "a"), CancellationToken.None));
    }

    [Fact]
    public async Task Restore_of_a_live_record_is_not_applied_without_error()
    {
        var fixture = new OperationsFixture();
        fixture.Answer(new RecordOperationResult(0, RecordOperationKind.Restore, OperationsFixture.Id("a"), false));

        var result = await new RestoreVectorHandler(fixture.Storage).Handle(new RestoreVector("companies", "a"), CancellationToken.None);

        Assert.False(result.Applied);
    }

    [Fact]
    public async Task SoftDelete_and_restore_without_the_capability_are_unsupported_and_send_nothing()
    {
        var fixture = new OperationsFixture(softDelete: false);

        await Assert.ThrowsAsync<UnsupportedOperationException>(() => new SoftDeleteVectorHandler(fixture.Storage).Handle(new SoftDeleteVector("companies", "a"), CancellationToken.None));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => new RestoreVectorHandler(fixture.Storage).Handle(new RestoreVector("companies", "a"), CancellationToken.None));

        await fixture.Operations.DidNotReceiveWithAnyArgs().ApplyAsync(default!, default!, default, default, default);
    }

    [Fact]
    public async Task SetExpiry_ttl_counts_from_the_clock_and_neither_clears()
    {
        var fixture = new OperationsFixture();
        var handler = new SetVectorExpiryHandler(fixture.Storage, new FakeTimeProvider(Now));

        var set = await handler.Handle(new SetVectorExpiry("companies", "a", TtlSeconds: 3600), CancellationToken.None);
        Assert.Equal(Now.AddHours(1), set.ExpiresAt);

        fixture.Operations.ClearReceivedCalls();
        var cleared = await handler.Handle(new SetVectorExpiry("companies", "a"), CancellationToken.None);
        Assert.Null(cleared.ExpiresAt);
        var op = Assert.Single(fixture.Applied());
        Assert.Equal(RecordOperationKind.SetExpiry, op.Kind);
        Assert.Null(op.ExpiresAt);
    }

    [Fact]
    public async Task SetExpiry_both_forms_is_refused_listing_ttlSeconds()
    {
        var error = await Validation.SingleErrorAsync(new ParseOf<SetVectorExpiry>(r => r.Parse(Now)), new SetVectorExpiry("companies", "a", "2031-01-01T00:00:00Z", 5));

        Assert.Equal("ttlSeconds", error.Path);
    }

    [Fact]
    public async Task Upsert_with_expiry_on_a_backend_without_ttl_is_refused_before_writing()
    {
        var storage = new StorageFixture(batch: true);

        await Assert.ThrowsAsync<UnsupportedOperationException>(() =>
            new UpsertVectorsHandler(storage.Storage, new FakeTimeProvider(Now)).Handle(new UpsertVectors("companies", [new VectorInput("a", [1, 0, 0], TtlSeconds: 5)]), CancellationToken.None));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() =>
            new UpsertVectorHandler(storage.Storage, new FakeTimeProvider(Now)).Handle(new UpsertVector("companies", "a", [1, 0, 0], ExpiresAt: "2031-01-01T00:00:00Z"), CancellationToken.None));

        await storage.AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Upsert_with_expiry_carries_it_to_the_batch_port()
    {
        var storage = new StorageFixture(batch: true);
        storage.Storage.Capabilities.Returns(new StorageCapabilities { SystemName = "test", Ttl = true });
        storage.Batch.UpsertManyAsync(default!, default!, default, default, default, default).ReturnsForAnyArgs(BatchResult.AllSucceeded(2));

        await new UpsertVectorsHandler(storage.Storage, new FakeTimeProvider(Now)).Handle(
            new UpsertVectors("companies", [new VectorInput("a", [1, 0, 0], TtlSeconds: 30), new VectorInput("b", [0, 1, 0])]), CancellationToken.None);

        await storage.Batch.Received(1).UpsertManyAsync(
            StorageFixture.Companies,
            Arg.Is<IReadOnlyList<VectorRecord>>(r => r[0].ExpiresAt == Now.AddSeconds(30) && r[1].ExpiresAt == null),
            Arg.Any<Namespace>(), Arg.Any<BatchOptions?>(), Arg.Any<IProgress<BatchProgress>?>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Fetch_including_deleted_goes_through_the_operations_port()
    {
        var fixture = new OperationsFixture();
        IReadOnlyList<VectorRecord> found = [new VectorRecord(OperationsFixture.Id("a"), new float[] { 1, 0, 0 }) { DeletedAt = Now }];
        fixture.Operations.GetManyAsync(default!, default!, default, default, default).ReturnsForAnyArgs(found);

        var result = await new FetchVectorsHandler(fixture.Storage).Handle(new FetchVectors("companies", ["a"], IncludeDeleted: true), CancellationToken.None);

        Assert.Equal(Now, Assert.Single(result.Vectors).DeletedAt);
        await fixture.Operations.Received(1).GetManyAsync(StorageFixture.Companies, Arg.Any<IReadOnlyList<VectorId>>(), true, Arg.Any<Namespace>(), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Fetch_and_list_including_deleted_without_soft_delete_are_unsupported()
    {
        var fixture = new OperationsFixture(softDelete: false);

        await Assert.ThrowsAsync<UnsupportedOperationException>(() => new FetchVectorsHandler(fixture.Storage).Handle(new FetchVectors("companies", ["a"], IncludeDeleted: true), CancellationToken.None));
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => new ListVectorsHandler(fixture.Storage).Handle(new ListVectors("companies", IncludeDeleted: true), CancellationToken.None));
    }
}
