using NSubstitute;
using Theodore.Application.Tests.Support;
using Theodore.Application.Vectors;
using Theodore.Core.Domain;

namespace Theodore.Application.Tests.Vectors;

public sealed class FetchVectorsTests
{
    private readonly ParseOf<FetchVectors> _validator = new(r => r.Parse());

    private static VectorRecord Record(string id) => new(VectorId.Parse(id), new float[] { 1, 0, 0 });

    [Fact]
    public async Task Validate_valid_request_accepts() =>
        await Validation.AcceptsAsync(_validator, new FetchVectors("companies", ["a", "b"], "de"));

    [Fact]
    public async Task Validate_bad_ids_are_each_reported_by_position()
    {
        var paths = await Validation.PathsAsync(_validator, new FetchVectors("companies", ["ok", "", null, new string('x', 513)]));

        Assert.Equal(["ids[1]", "ids[2]", "ids[3]"], paths);
    }

    [Fact]
    public async Task Validate_no_ids_is_refused()
    {
        Assert.Equal("ids", (await Validation.SingleErrorAsync(_validator, new FetchVectors("companies", null))).Path);
        Assert.Equal("ids", (await Validation.SingleErrorAsync(_validator, new FetchVectors("companies", []))).Path);
    }

    [Fact]
    public async Task Validate_1000_ids_accepted_and_1001_refused()
    {
        var ids = Enumerable.Range(0, 1000).Select(i => (string?)$"id-{i}").ToList();
        await Validation.AcceptsAsync(_validator, new FetchVectors("companies", ids));

        var error = await Validation.SingleErrorAsync(_validator, new FetchVectors("companies", [.. ids, "one-more"]));
        Assert.Equal("ids", error.Path);
    }

    [Fact]
    public async Task Validate_bad_index_and_namespace_are_reported()
    {
        var paths = await Validation.PathsAsync(_validator, new FetchVectors("", ["a"], "\n"));

        Assert.Equal(["index", "namespace"], paths);
    }

    [Fact]
    public async Task Handle_with_batch_port_fetches_in_one_call()
    {
        var fixture = new StorageFixture(batch: true);
        IReadOnlyList<VectorRecord> found = [Record("b")];
        fixture.Batch.GetManyAsync(default!, default!, default, default).ReturnsForAnyArgs(found);

        var result = await new FetchVectorsHandler(fixture.Storage).Handle(new FetchVectors("companies", ["a", "b"], "de"), CancellationToken.None);

        Assert.Equal(["b"], result.Vectors.Select(v => v.Id.Value));
        await fixture.Batch.Received(1).GetManyAsync(
            StorageFixture.Companies,
            Arg.Is<IReadOnlyList<VectorId>>(ids => ids.Select(i => i.Value).SequenceEqual(new[] { "a", "b" })),
            Namespace.Parse("de"),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_without_batch_port_gets_one_by_one_in_request_order_leaving_out_missing()
    {
        var fixture = new StorageFixture();
        fixture.Storage.GetAsync(StorageFixture.Companies, VectorId.Parse("c"), Arg.Any<Namespace>(), Arg.Any<CancellationToken>()).Returns(Record("c"));
        fixture.Storage.GetAsync(StorageFixture.Companies, VectorId.Parse("a"), Arg.Any<Namespace>(), Arg.Any<CancellationToken>()).Returns(Record("a"));

        var result = await new FetchVectorsHandler(fixture.Storage).Handle(new FetchVectors("companies", ["c", "missing", "a"]), CancellationToken.None);

        Assert.Equal(["c", "a"], result.Vectors.Select(v => v.Id.Value));
    }
}
