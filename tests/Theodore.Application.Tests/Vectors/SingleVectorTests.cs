using MediatR;
using NSubstitute;
using Theodore.Application.Tests.Support;
using Theodore.Application.Vectors;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Application.Tests.Vectors;

public sealed class SingleVectorTests
{
    [Fact]
    public async Task GetVectorValidator_valid_request_accepts() =>
        await Validation.AcceptsAsync(new ParseOf<GetVector>(r => r.Parse()), new GetVector("companies", "acme", "de"));

    [Fact]
    public async Task GetVectorValidator_bad_input_lists_index_id_and_namespace()
    {
        var paths = await Validation.PathsAsync(new ParseOf<GetVector>(r => r.Parse()), new GetVector("UP", new string('x', 513), "\u0007"));

        Assert.Equal(["index", "id", "namespace"], paths);
    }

    [Fact]
    public async Task DeleteVectorValidator_bad_input_lists_index_id_and_namespace()
    {
        var paths = await Validation.PathsAsync(new ParseOf<DeleteVector>(r => r.Parse()), new DeleteVector(null, "", "\u0007"));

        Assert.Equal(["index", "id", "namespace"], paths);
    }

    [Fact]
    public async Task GetVector_existing_returns_the_record_from_its_namespace()
    {
        var fixture = new StorageFixture();
        var record = new VectorRecord(VectorId.Parse("acme"), new float[] { 1, 2, 3 });
        fixture.Storage.GetAsync(StorageFixture.Companies, VectorId.Parse("acme"), Namespace.Parse("de"), Arg.Any<CancellationToken>()).Returns(record);

        var result = await new GetVectorHandler(fixture.Storage).Handle(new GetVector("companies", "acme", "de"), CancellationToken.None);

        Assert.Same(record, result);
    }

    [Fact]
    public async Task GetVector_missing_throws_record_not_found()
    {
        var fixture = new StorageFixture();

        var ex = await Assert.ThrowsAsync<RecordNotFoundException>(() => new GetVectorHandler(fixture.Storage).Handle(new GetVector("companies", "ghost"), CancellationToken.None));

        Assert.Equal(ErrorCodes.RecordNotFound, ex.Code);
        Assert.Contains("ghost", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteVector_existing_deletes_it()
    {
        var fixture = new StorageFixture();
        fixture.Storage.DeleteAsync(StorageFixture.Companies, VectorId.Parse("acme"), Namespace.Default, Arg.Any<CancellationToken>()).Returns(true);

        var result = await new DeleteVectorHandler(fixture.Storage).Handle(new DeleteVector("companies", "acme"), CancellationToken.None);

        Assert.Equal(Unit.Value, result);
    }

    [Fact]
    public async Task DeleteVector_missing_throws_record_not_found()
    {
        var fixture = new StorageFixture();
        fixture.Storage.DeleteAsync(default!, default!, default, default).ReturnsForAnyArgs(false);

        await Assert.ThrowsAsync<RecordNotFoundException>(() => new DeleteVectorHandler(fixture.Storage).Handle(new DeleteVector("companies", "ghost", "de"), CancellationToken.None));

        await fixture.Storage.Received(1).DeleteAsync(StorageFixture.Companies, VectorId.Parse("ghost"), Namespace.Parse("de"), Arg.Any<CancellationToken>());
    }
}
