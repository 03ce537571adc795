using NSubstitute;
using Theodore.Application.Tests.Support;
using Theodore.Application.Vectors;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Application.Tests.Vectors;

public sealed class UpsertVectorTests
{
    private readonly ParseOf<UpsertVector> _validator = new(r => r.Parse());

    private static UpsertVector Valid() => new("companies", "acme", [1, 0, 0], Json.Parse("""{"industry":"fintech"}"""), "de");

    [Fact]
    public async Task Validate_valid_request_accepts() => await Validation.AcceptsAsync(_validator, Valid());

    [Fact]
    public async Task Validate_everything_wrong_lists_every_error()
    {
        var request = new UpsertVector("Companies", new string('x', 513), [1, float.PositiveInfinity], Json.Parse("""{"founded":null}"""), "bad\u0001ns");

        var paths = await Validation.PathsAsync(_validator, request);

        Assert.Equal(["index", "id", "values[1]", "metadata.founded", "namespace"], paths);
    }

    [Fact]
    public async Task Validate_missing_values_reports_values()
    {
        var error = await Validation.SingleErrorAsync(_validator, Valid() with { Values = null });

        Assert.Equal("values", error.Path);
    }

    [Fact]
    public async Task Handle_valid_request_upserts_the_record_in_the_namespace()
    {
        var fixture = new StorageFixture().WithIndex();

        var result = await new UpsertVectorHandler(fixture.Storage).Handle(Valid(), CancellationToken.None);

        Assert.Equal(1, result.UpsertedCount);
        await fixture.Storage.Received(1).UpsertAsync(
            StorageFixture.Companies,
            Arg.Is<VectorRecord>(r => r.Id.Value == "acme" && r.Values.Length == 3 && r.Metadata["industry"].AsString == "fintech"),
            Namespace.Parse("de"),
            Arg.Any<CancellationToken>());
    }
}
