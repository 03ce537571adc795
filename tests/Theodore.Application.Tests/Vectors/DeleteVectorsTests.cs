using NSubstitute;
using Theodore.Application.Tests.Support;
using Theodore.Application.Vectors;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;

namespace Theodore.Application.Tests.Vectors;

public sealed class DeleteVectorsTests
{
    private readonly ParseOf<DeleteVectors> _validator = new(r => r.Parse());

    [Fact]
    public async Task Validate_each_single_selector_accepts()
    {
        await Validation.AcceptsAsync(_validator, new DeleteVectors("companies", Ids: ["a"]));
        await Validation.AcceptsAsync(_validator, new DeleteVectors("companies", Filter: Json.Parse("""{"industry":"fintech"}""")));
        await Validation.AcceptsAsync(_validator, new DeleteVectors("companies", DeleteAll: true, Namespace: "de"));
        await Validation.AcceptsAsync(_validator, new DeleteVectors("companies", Ids: ["a"], DeleteAll: false));
    }

    [Fact]
    public async Task Validate_no_selector_is_refused()
    {
        var error = await Validation.SingleErrorAsync(_validator, new DeleteVectors("companies", DeleteAll: false));

        Assert.Contains("one of ids, filter or deleteAll", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_two_selectors_are_refused()
    {
        var error = await Validation.SingleErrorAsync(_validator, new DeleteVectors("companies", Ids: ["a"], DeleteAll: true));

        Assert.Contains("exactly one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_json_null_filter_counts_as_absent()
    {
        await Validation.AcceptsAsync(_validator, new DeleteVectors("companies", Ids: ["a"], Filter: Json.Parse("null")));
    }

    [Fact]
    public async Task Validate_bad_ids_reported_by_position_and_limit_enforced()
    {
        Assert.Equal(["ids[1]"], await Validation.PathsAsync(_validator, new DeleteVectors("companies", Ids: ["a", ""])));
        Assert.Equal(["ids"], await Validation.PathsAsync(_validator, new DeleteVectors("companies", Ids: [])));
        var tooMany = Enumerable.Range(0, 1001).Select(i => (string?)$"id{i}").ToList();
        Assert.Equal(["ids"], await Validation.PathsAsync(_validator, new DeleteVectors("companies", Ids: tooMany)));
    }

    [Fact]
    public async Task Validate_unknown_filter_operator_reports_invalid_filter_with_path()
    {
        var rejection = await Validation.RejectionAsync(_validator, new DeleteVectors("companies", Filter: Json.Parse("""{"founded":{"$regex":"^19"}}""")));

        Assert.NotNull(rejection);
        Assert.IsType<InvalidFilterException>(rejection);
        Assert.Equal(ErrorCodes.InvalidFilter, rejection.Code);
        Assert.Equal("filter.founded.$regex", Assert.Single(rejection.Errors).Path);
    }

    [Fact]
    public async Task Handle_ids_with_batch_port_returns_how_many_existed()
    {
        var fixture = new StorageFixture(batch: true);
        fixture.Batch.DeleteManyAsync(default!, default!, default, default).ReturnsForAnyArgs(new BatchResult(3, 2, []));

        var result = await new DeleteVectorsHandler(fixture.Storage).Handle(new DeleteVectors("companies", Ids: ["a", "b", "c"], Namespace: "de"), CancellationToken.None);

        Assert.Equal(2, result.DeletedCount);
        await fixture.Batch.Received(1).DeleteManyAsync(
            StorageFixture.Companies,
            Arg.Is<IReadOnlyList<VectorId>>(ids => ids.Count == 3 && ids[2].Value == "c"),
            Namespace.Parse("de"),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_ids_without_batch_port_deletes_one_by_one_counting_existing()
    {
        var fixture = new StorageFixture();
        fixture.Storage.DeleteAsync(StorageFixture.Companies, VectorId.Parse("a"), Arg.Any<Namespace>(), Arg.Any<CancellationToken>()).Returns(true);

        var result = await new DeleteVectorsHandler(fixture.Storage).Handle(new DeleteVectors("companies", Ids: ["a", "missing"]), CancellationToken.None);

        Assert.Equal(1, result.DeletedCount);
        await fixture.Storage.ReceivedWithAnyArgs(2).DeleteAsync(default!, default!, default, default);
    }

    [Fact]
    public async Task Handle_filter_deletes_by_the_parsed_filter()
    {
        var fixture = new StorageFixture(batch: true);
        fixture.Batch.DeleteByFilterAsync(default!, default!, default, default).ReturnsForAnyArgs(7L);

        var result = await new DeleteVectorsHandler(fixture.Storage).Handle(
            new DeleteVectors("companies", Filter: Json.Parse("""{"industry":"fintech","founded":{"$lt":2000}}""")), CancellationToken.None);

        Assert.Equal(7, result.DeletedCount);
        var expected = Filter.And(Filter.Eq("industry", "fintech"), Filter.Lt("founded", 2000));
        await fixture.Batch.Received(1).DeleteByFilterAsync(
            StorageFixture.Companies,
            Arg.Is<FilterExpression>(f => FilterJson.ToJson(f) == FilterJson.ToJson(expected)),
            Namespace.Default,
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_delete_all_empties_the_namespace()
    {
        var fixture = new StorageFixture(batch: true);
        fixture.Batch.DeleteAllAsync(default!, default, default).ReturnsForAnyArgs(12L);

        var result = await new DeleteVectorsHandler(fixture.Storage).Handle(new DeleteVectors("companies", DeleteAll: true, Namespace: "de"), CancellationToken.None);

        Assert.Equal(12, result.DeletedCount);
        await fixture.Batch.Received(1).DeleteAllAsync(StorageFixture.Companies, Namespace.Parse("de"), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_filter_without_batch_port_is_unsupported()
    {
        var fixture = new StorageFixture();

        await Assert.ThrowsAsync<UnsupportedOperationException>(() => new DeleteVectorsHandler(fixture.Storage).Handle(
            new DeleteVectors("companies", Filter: Json.Parse("""{"industry":"fintech"}""")), CancellationToken.None));
    }
}
