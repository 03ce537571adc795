using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using NSubstitute;
using Theodore.Application.Operations;
using Theodore.Application.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;

namespace Theodore.Application.Tests.Operations;

public sealed class ApplyOperationsTests
{
    private static readonly DateTimeOffset Now = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly ParseOf<ApplyOperations> _parser = new(r => r.Parse(Now));

    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static ApplyOperations Batch(params OperationInput?[] operations) => new("companies", operations, "de");

    private static ApplyOperationsHandler Handler(OperationsFixture fixture) => new(fixture.Storage, new FakeTimeProvider(Now));

    [Fact]
    public async Task Parse_every_kind_becomes_its_operation_in_order()
    {
        var fixture = new OperationsFixture();
        var request = Batch(
            new OperationInput("upsert", "a", [1, 0, 0], Json("""{"k":"v"}"""), TtlSeconds: 60),
            new OperationInput("delete", "b"),
            new OperationInput("softDelete", "c"),
            new OperationInput("restore", "d"),
            new OperationInput("updateMetadata", "e", Metadata: Json("""{"k":"w"}"""), Mode: "replace"),
            new OperationInput("setExpiry", "f", ExpiresAt: "2031-02-03T04:05:06Z"),
            new OperationInput("setExpiry", "g"));

        var result = await Handler(fixture).Handle(request, CancellationToken.None);

        var applied = fixture.Applied();
        Assert.Equal(
            [RecordOperationKind.Upsert, RecordOperationKind.Delete, RecordOperationKind.SoftDelete, RecordOperationKind.Restore, RecordOperationKind.UpdateMetadata, RecordOperationKind.SetExpiry, RecordOperationKind.SetExpiry],
            applied.Select(o => o.Kind));
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g"], applied.Select(o => o.Id.Value));
        Assert.Equal(Now.AddSeconds(60), applied[0].Record!.ExpiresAt);
        Assert.Equal(MetadataUpdateMode.Replace, applied[4].MetadataMode);
        Assert.Equal(new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.Zero), applied[5].ExpiresAt);
        Assert.Null(applied[6].ExpiresAt);
        Assert.Equal(7, result.Succeeded);
        await fixture.Operations.Received(1).ApplyAsync(StorageFixture.Companies, Arg.Any<IReadOnlyList<RecordOperation>>(), Namespace.Parse("de"), OperationBatchOptions.Default, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Validate_every_problem_is_listed_by_operation_and_field()
    {
        var paths = await Validation.PathsAsync(_parser, Batch(
            new OperationInput("upsert", "a"),
            new OperationInput("explode", "b"),
            new OperationInput("delete", "", Values: [1]),
            null,
            new OperationInput("updateMetadata", "e", Mode: "patch"),
            new OperationInput("setExpiry", "f", ExpiresAt: "tomorrow"),
            new OperationInput("upsert", "g", [1], ExpiresAt: "2031-01-01T00:00:00Z", TtlSeconds: 5),
            new OperationInput("restore", "h", TtlSeconds: 0)));

        Assert.Equal(
            ["operations[0].values", "operations[1].op", "operations[2].id", "operations[2].values", "operations[3]", "operations[4].mode", "operations[4].metadata", "operations[5].expiresAt", "operations[6].ttlSeconds", "operations[7].ttlSeconds"],
            paths);
    }

    [Fact]
    public async Task Validate_no_operations_and_1001_are_refused()
    {
        Assert.Equal("operations", (await Validation.SingleErrorAsync(_parser, new ApplyOperations("companies", []))).Path);
        var many = Enumerable.Range(0, OperationBatchOptions.MaxOperations + 1).Select(i => (OperationInput?)new OperationInput("delete", $"id-{i}")).ToList();
        Assert.Equal("operations", (await Validation.SingleErrorAsync(_parser, new ApplyOperations("companies", many))).Path);
        await Validation.AcceptsAsync(_parser, new ApplyOperations("companies", many[..OperationBatchOptions.MaxOperations]));
    }

    [Fact]
    public async Task Validate_ttl_out_of_range_is_refused()
    {
        var paths = await Validation.PathsAsync(_parser, Batch(
            new OperationInput("setExpiry", "a", TtlSeconds: 0),
            new OperationInput("setExpiry", "b", TtlSeconds: ExpiryParsing.MaxTtlSeconds + 1)));

        Assert.Equal(["operations[0].ttlSeconds", "operations[1].ttlSeconds"], paths);
    }

    [Fact]
    public async Task Handle_invalid_batch_reaches_no_port()
    {
        var fixture = new OperationsFixture();

        await Assert.ThrowsAsync<InvalidRequestException>(() => Handler(fixture).Handle(Batch(new OperationInput("upsert", "a")), CancellationToken.None));

        await fixture.Operations.DidNotReceiveWithAnyArgs().ApplyAsync(default!, default!, default, default, default);
    }

    [Fact]
    public async Task Handle_atomic_passes_all_or_nothing()
    {
        var fixture = new OperationsFixture();

        var result = await Handler(fixture).Handle(new ApplyOperations("companies", [new OperationInput("delete", "a")], Atomic: true), CancellationToken.None);

        Assert.True(result.Atomic);
        await fixture.Operations.Received(1).ApplyAsync(StorageFixture.Companies, Arg.Any<IReadOnlyList<RecordOperation>>(), default, OperationBatchOptions.AllOrNothing, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_per_operation_failures_come_back_as_results()
    {
        var fixture = new OperationsFixture();
        fixture.Answer(
            new RecordOperationResult(0, RecordOperationKind.Restore, OperationsFixture.Id("a"), false, ErrorCodes.RecordNotFound, "no such record"),
            new RecordOperationResult(1, RecordOperationKind.Delete, OperationsFixture.Id("b"), true));

        var result = await Handler(fixture).Handle(Batch(new OperationInput("restore", "a"), new OperationInput("delete", "b")), CancellationToken.None);

        Assert.Equal(1, result.Failed);
        Assert.Equal(ErrorCodes.RecordNotFound, result.Results[0].ErrorCode);
    }

    public static TheoryData<string, bool, bool, bool, bool> Unsupported => new()
    {
        // op, atomic requested, atomic capability, soft delete capability, ttl capability
        { "delete", true, false, true, true },
        { "softDelete", false, true, false, true },
        { "restore", false, true, false, true },
        { "setExpiry", false, true, true, false },
        { "upsertWithTtl", false, true, true, false },
    };

    [Theory]
    [MemberData(nameof(Unsupported))]
    public async Task Handle_what_the_backend_lacks_is_refused_up_front(string op, bool atomic, bool atomicCapability, bool softDelete, bool ttl)
    {
        var fixture = new OperationsFixture(atomic: atomicCapability, softDelete: softDelete, ttl: ttl);
        var input = op == "upsertWithTtl" ? new OperationInput("upsert", "a", [1, 0, 0], TtlSeconds: 10) : new OperationInput(op, "a");

        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Handler(fixture).Handle(new ApplyOperations("companies", [new OperationInput("delete", "z"), input], Atomic: atomic), CancellationToken.None));

        await fixture.Operations.DidNotReceiveWithAnyArgs().ApplyAsync(default!, default!, default, default, default);
    }

    [Fact]
    public async Task Handle_backend_without_the_port_is_unsupported()
    {
        var fixture = new OperationsFixture(port: false);

        await Assert.ThrowsAsync<UnsupportedOperationException>(() => Handler(fixture).Handle(Batch(new OperationInput("delete", "a")), CancellationToken.None));
    }
}
