using NSubstitute;
using Theodore.Application.Tests.Support;
using Theodore.Application.Vectors;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Tests.Vectors;

public sealed class UpsertVectorsTests
{
    private readonly ParseOf<UpsertVectors> _validator = new(r => r.Parse());

    private static VectorInput Vector(string id, params float[] values) => new(id, values);

    private static UpsertVectors Request(params VectorInput[] vectors) => new("companies", vectors);

    [Fact]
    public async Task Validate_good_records_accepts() =>
        await Validation.AcceptsAsync(_validator, Request(
            Vector("a", 1, 0, 0),
            new VectorInput("b", [0, 1, 0], Json.Parse("""{"industry":"fintech","founded":2015,"public":false,"tags":["b2b","saas"]}"""))) with { Namespace = "de" });

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public async Task Validate_non_finite_value_reports_its_position(float bad)
    {
        var error = await Validation.SingleErrorAsync(_validator, Request(Vector("a", 1, 0, 0), Vector("b", 0, bad, 0)));

        Assert.Equal("vectors[1].values[1]", error.Path);
        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
    }

    [Fact]
    public async Task Validate_number_that_overflowed_float_reports_it()
    {
        var overflowed = (float)1e39; // what a JSON number beyond float range becomes
        var error = await Validation.SingleErrorAsync(_validator, Request(Vector("a", overflowed, 0, 0)));

        Assert.Equal("vectors[0].values[0]", error.Path);
    }

    [Fact]
    public async Task Validate_missing_or_empty_values_reports_values()
    {
        var paths = await Validation.PathsAsync(_validator, Request(new VectorInput("a", null), new VectorInput("b", [])));

        Assert.Equal(["vectors[0].values", "vectors[1].values"], paths);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("tab\there")]
    public async Task Validate_invalid_id_reports_its_position(string? id)
    {
        var error = await Validation.SingleErrorAsync(_validator, Request(Vector("ok", 1, 0, 0), new VectorInput(id, [1, 0, 0])));

        Assert.Equal("vectors[1].id", error.Path);
    }

    [Fact]
    public async Task Validate_id_of_513_chars_is_refused_and_512_accepted()
    {
        var error = await Validation.SingleErrorAsync(_validator, Request(Vector(new string('x', 513), 1, 0, 0)));
        Assert.Equal("vectors[0].id", error.Path);

        await Validation.AcceptsAsync(_validator, Request(Vector(new string('x', 512), 1, 0, 0)));
    }

    [Fact]
    public async Task Validate_duplicate_id_reports_the_second_occurrence()
    {
        var error = await Validation.SingleErrorAsync(_validator, Request(Vector("a", 1, 0, 0), Vector("b", 1, 0, 0), Vector("a", 0, 1, 0)));

        Assert.Equal("vectors[2].id", error.Path);
        Assert.Contains("vectors[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_metadata_with_null_names_the_key()
    {
        var error = await Validation.SingleErrorAsync(_validator, Request(
            Vector("a", 1, 0, 0), Vector("b", 1, 0, 0), Vector("c", 1, 0, 0),
            new VectorInput("d", [1, 0, 0], Json.Parse("""{"industry":null,"country":"DE"}"""))));

        Assert.Equal("vectors[3].metadata.industry", error.Path);
    }

    [Fact]
    public async Task Validate_metadata_of_41_kb_is_refused()
    {
        var error = await Validation.SingleErrorAsync(_validator, Request(new VectorInput("a", [1, 0, 0], Json.MetadataOfSize(41 * 1024))));

        Assert.Equal("vectors[0].metadata", error.Path);
        Assert.Contains("40960", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_metadata_with_nested_object_or_non_object_is_refused()
    {
        var paths = await Validation.PathsAsync(_validator, Request(
            new VectorInput("a", [1, 0, 0], Json.Parse("""{"address":{"city":"Berlin"}}""")),
            new VectorInput("b", [1, 0, 0], Json.Parse("[1,2]"))));

        Assert.Equal(["vectors[0].metadata.address", "vectors[1].metadata"], paths);
    }

    [Fact]
    public async Task Validate_no_vectors_is_refused()
    {
        Assert.Equal("vectors", (await Validation.SingleErrorAsync(_validator, new UpsertVectors("companies", null))).Path);
        Assert.Equal("vectors", (await Validation.SingleErrorAsync(_validator, Request())).Path);
    }

    [Fact]
    public async Task Validate_1000_vectors_accepted_and_1001_refused()
    {
        var thousand = Enumerable.Range(0, 1000).Select(i => Vector($"v{i}", 1, 0, 0)).ToArray();
        await Validation.AcceptsAsync(_validator, Request(thousand));

        var error = await Validation.SingleErrorAsync(_validator, Request([.. thousand, Vector("v1000", 1, 0, 0)]));
        Assert.Equal("vectors", error.Path);
        Assert.Contains("1000", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_invalid_index_and_namespace_report_both()
    {
        var paths = await Validation.PathsAsync(_validator, new UpsertVectors("Bad!", [Vector("a", 1)], new string('n', 513)));

        Assert.Equal(["index", "namespace"], paths);
    }

    [Fact]
    public async Task Validate_many_bad_records_lists_every_bad_item_in_one_rejection()
    {
        var rejection = await Validation.RejectionAsync(_validator, Request(
            Vector("ok", 1, 0, 0),
            new VectorInput(new string('x', 513), [1, 0, 0]),
            Vector("nan", 1, float.NaN, 0),
            new VectorInput("meta", [1, 0, 0], Json.Parse("""{"industry":null}""")),
            new VectorInput("", null)));

        Assert.NotNull(rejection);
        Assert.Equal(ErrorCodes.InvalidRequest, rejection.Code);
        Assert.Equal(
            ["vectors[1].id", "vectors[2].values[1]", "vectors[3].metadata.industry", "vectors[4].id", "vectors[4].values"],
            rejection.Errors.Select(e => e.Path));
    }

    [Fact]
    public async Task Handle_valid_records_with_batch_port_upserts_them_in_one_call()
    {
        var fixture = new StorageFixture(batch: true).WithIndex();
        fixture.Batch.UpsertManyAsync(default!, default!, default, default, default, default).ReturnsForAnyArgs(BatchResult.AllSucceeded(2));
        var request = new UpsertVectors("companies", [Vector("a", 1, 0, 0), new VectorInput("b", [0, 1, 0], Json.Parse("""{"industry":"fintech"}"""))], "de");

        var result = await new UpsertVectorsHandler(fixture.Storage).Handle(request, CancellationToken.None);

        Assert.Equal(2, result.UpsertedCount);
        await fixture.Batch.Received(1).UpsertManyAsync(
            StorageFixture.Companies,
            Arg.Is<IReadOnlyList<VectorRecord>>(r =>
                r.Count == 2 && r[0].Id.Value == "a" && r[0].Values.ToArray().SequenceEqual(new float[] { 1, 0, 0 }) && r[0].Metadata.Count == 0
                && r[1].Id.Value == "b" && r[1].Metadata["industry"].AsString == "fintech"),
            Namespace.Parse("de"),
            Arg.Any<BatchOptions?>(),
            Arg.Any<IProgress<BatchProgress>?>(),
            Arg.Any<CancellationToken>());
        await fixture.Storage.DidNotReceiveWithAnyArgs().UpsertAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task Handle_without_batch_port_upserts_one_by_one()
    {
        var fixture = new StorageFixture().WithIndex();

        var result = await new UpsertVectorsHandler(fixture.Storage).Handle(Request(Vector("a", 1, 0, 0), Vector("b", 0, 1, 0)), CancellationToken.None);

        Assert.Equal(2, result.UpsertedCount);
        await fixture.Storage.Received(1).UpsertAsync(StorageFixture.Companies, Arg.Is<VectorRecord>(r => r.Id.Value == "a"), Namespace.Default, Arg.Any<CancellationToken>());
        await fixture.Storage.Received(1).UpsertAsync(StorageFixture.Companies, Arg.Is<VectorRecord>(r => r.Id.Value == "b"), Namespace.Default, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_zero_vector_in_euclidean_index_is_written()
    {
        var fixture = new StorageFixture().WithIndex(metric: DistanceMetric.Euclidean);

        var result = await new UpsertVectorsHandler(fixture.Storage).Handle(Request(Vector("zero", 0, 0, 0)), CancellationToken.None);

        Assert.Equal(1, result.UpsertedCount);
    }

    [Fact]
    public async Task Handle_mixed_dimension_and_zero_errors_reports_both_as_invalid_request()
    {
        var fixture = new StorageFixture().WithIndex();

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() => new UpsertVectorsHandler(fixture.Storage)
            .Handle(Request(Vector("short", 1), Vector("zero", 0, 0, 0)), CancellationToken.None));

        Assert.Equal(2, ex.Errors.Count);
        Assert.Equal([ErrorCodes.DimensionMismatch, ErrorCodes.InvalidRequest], ex.Errors.Select(e => e.Code));
        await fixture.AssertNothingWrittenAsync();
    }

    [Fact]
    public async Task Handle_batch_with_transient_item_failures_is_not_reported_as_success()
    {
        var fixture = new StorageFixture(batch: true).WithIndex();
        fixture.Batch.UpsertManyAsync(default!, default!, default, default, default, default).ReturnsForAnyArgs(
            new BatchResult(2, 1, [new BatchItemError(1, "b", ErrorCodes.StorageUnavailable, "node down", IsTransient: true)]));

        var ex = await Assert.ThrowsAsync<StorageUnavailableException>(() =>
            new UpsertVectorsHandler(fixture.Storage).Handle(Request(Vector("a", 1, 0, 0), Vector("b", 0, 1, 0)), CancellationToken.None));

        Assert.Contains("vectors[1]", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Handle_batch_with_item_rejected_by_backend_reports_its_position()
    {
        var fixture = new StorageFixture(batch: true).WithIndex();
        fixture.Batch.UpsertManyAsync(default!, default!, default, default, default, default).ReturnsForAnyArgs(
            new BatchResult(2, 1, [new BatchItemError(0, "a", ErrorCodes.InvalidRequest, "refused")]));

        var ex = await Assert.ThrowsAsync<InvalidRequestException>(() =>
            new UpsertVectorsHandler(fixture.Storage).Handle(Request(Vector("a", 1, 0, 0), Vector("b", 0, 1, 0)), CancellationToken.None));

        Assert.Equal("vectors[0]", Assert.Single(ex.Errors).Path);
    }

    [Fact]
    public async Task Handle_batch_with_backend_error_keeps_its_code()
    {
        var fixture = new StorageFixture(batch: true).WithIndex();
        fixture.Batch.UpsertManyAsync(default!, default!, default, default, default, default).ReturnsForAnyArgs(
            new BatchResult(1, 0, [new BatchItemError(0, "a", ErrorCodes.CapacityExceeded, "disk full")]));

        var ex = await Assert.ThrowsAsync<VectorStorageException>(() =>
            new UpsertVectorsHandler(fixture.Storage).Handle(Request(Vector("a", 1, 0, 0)), CancellationToken.None));

        Assert.Equal(ErrorCodes.CapacityExceeded, ex.Code);
    }

    [Fact]
    public async Task Handle_through_decorator_finds_the_batch_port_of_the_inner_storage()
    {
        var fixture = new StorageFixture(batch: true).WithIndex();
        fixture.Batch.UpsertManyAsync(default!, default!, default, default, default, default).ReturnsForAnyArgs(BatchResult.AllSucceeded(1));
        var decorated = new PassThroughStorage(fixture.Storage);

        await new UpsertVectorsHandler(decorated).Handle(Request(Vector("a", 1, 0, 0)), CancellationToken.None);

        await fixture.Batch.ReceivedWithAnyArgs(1).UpsertManyAsync(default!, default!, default, default, default, default);
    }

    private sealed class PassThroughStorage(IVectorStorage inner) : DelegatingVectorStorage(inner);
}
