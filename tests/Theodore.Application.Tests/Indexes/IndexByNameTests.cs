using MediatR;
using NSubstitute;
using Theodore.Application.Indexes;
using Theodore.Application.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Application.Tests.Indexes;

public sealed class IndexByNameTests
{
    public static TheoryData<string?> BadNames => new() { null, "", "UPPER", "has space", "-dash", new string('a', 46) };

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task DescribeIndexValidator_invalid_name_reports_index(string? name)
    {
        var error = await Validation.SingleErrorAsync(new ParseOf<DescribeIndex>(r => r.Parse()), new DescribeIndex(name));

        Assert.Equal("index", error.Path);
    }

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task DeleteIndexValidator_invalid_name_reports_index(string? name)
    {
        var error = await Validation.SingleErrorAsync(new ParseOf<DeleteIndex>(r => r.Parse()), new DeleteIndex(name));

        Assert.Equal("index", error.Path);
    }

    [Theory]
    [MemberData(nameof(BadNames))]
    public async Task GetIndexStatsValidator_invalid_name_reports_index(string? name)
    {
        var error = await Validation.SingleErrorAsync(new ParseOf<GetIndexStats>(r => r.Parse()), new GetIndexStats(name));

        Assert.Equal("index", error.Path);
    }

    [Theory]
    [InlineData("companies")]
    [InlineData("0")]
    [InlineData("companies-2024-de")]
    public async Task Validators_valid_name_accept(string name)
    {
        await Validation.AcceptsAsync(new ParseOf<DescribeIndex>(r => r.Parse()), new DescribeIndex(name));
        await Validation.AcceptsAsync(new ParseOf<DeleteIndex>(r => r.Parse()), new DeleteIndex(name));
        await Validation.AcceptsAsync(new ParseOf<GetIndexStats>(r => r.Parse()), new GetIndexStats(name));
    }

    [Fact]
    public async Task DescribeIndex_existing_returns_the_port_answer()
    {
        var fixture = new StorageFixture().WithIndex(dimension: 7);

        var info = await new DescribeIndexHandler(fixture.Storage).Handle(new DescribeIndex("companies"), CancellationToken.None);

        Assert.Equal(7, info.Definition.Dimension);
    }

    [Fact]
    public async Task DescribeIndex_missing_throws_index_not_found()
    {
        var fixture = new StorageFixture();
        fixture.Storage.DescribeIndexAsync(StorageFixture.Companies, Arg.Any<CancellationToken>())
            .Returns<IndexInfo>(_ => throw new IndexNotFoundException("companies"));

        await Assert.ThrowsAsync<IndexNotFoundException>(() => new DescribeIndexHandler(fixture.Storage).Handle(new DescribeIndex("companies"), CancellationToken.None));
    }

    [Fact]
    public async Task DeleteIndex_existing_deletes_it_by_name()
    {
        var fixture = new StorageFixture();

        var result = await new DeleteIndexHandler(fixture.Storage, []).Handle(new DeleteIndex("companies"), CancellationToken.None);

        Assert.Equal(Unit.Value, result);
        await fixture.Storage.Received(1).DeleteIndexAsync(StorageFixture.Companies, Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task DeleteIndex_tells_the_listeners_which_index_changed()
    {
        var fixture = new StorageFixture();
        var listener = Substitute.For<IIndexChangeListener>();

        await new DeleteIndexHandler(fixture.Storage, [listener]).Handle(new DeleteIndex("companies"), CancellationToken.None);

        listener.Received(1).IndexChanged(StorageFixture.Companies);
    }

    [Fact]
    public async Task DeleteIndex_missing_throws_index_not_found()
    {
        var fixture = new StorageFixture();
        fixture.Storage.DeleteIndexAsync(StorageFixture.Companies, Arg.Any<CancellationToken>())
            .Returns(ValueTask.FromException(new IndexNotFoundException("companies")));

        await Assert.ThrowsAsync<IndexNotFoundException>(() => new DeleteIndexHandler(fixture.Storage, []).Handle(new DeleteIndex("companies"), CancellationToken.None));
    }

    [Fact]
    public async Task GetIndexStats_returns_the_port_statistics()
    {
        var fixture = new StorageFixture();
        var stats = new IndexStats(42, 3, DistanceMetric.Cosine, 1024,
            new Dictionary<string, long> { ["industry"] = 40 }, new Dictionary<string, long> { [""] = 30, ["de"] = 12 }, null, null);
        fixture.Storage.GetStatsAsync(StorageFixture.Companies, Arg.Any<CancellationToken>()).Returns(stats);

        var result = await new GetIndexStatsHandler(fixture.Storage).Handle(new GetIndexStats("companies"), CancellationToken.None);

        Assert.Same(stats, result);
    }

    [Fact]
    public async Task ListIndexes_returns_every_index_the_port_lists()
    {
        var fixture = new StorageFixture();
        IReadOnlyList<IndexInfo> all = [StorageFixture.Info(), StorageFixture.Info(5)];
        fixture.Storage.ListIndexesAsync(Arg.Any<CancellationToken>()).Returns(all);

        var result = await new ListIndexesHandler(fixture.Storage).Handle(new ListIndexes(), CancellationToken.None);

        Assert.Equal(all, result.Indexes);
    }
}
