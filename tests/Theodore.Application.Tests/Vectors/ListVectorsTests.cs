using NSubstitute;
using Theodore.Application.Tests.Support;
using Theodore.Application.Vectors;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Application.Tests.Vectors;

public sealed class ListVectorsTests
{
    private readonly ParseOf<ListVectors> _validator = new(r => r.Parse());

    [Theory]
    [InlineData(null)]
    [InlineData(1)]
    [InlineData(1000)]
    public async Task Validate_limit_in_range_accepts(int? limit) =>
        await Validation.AcceptsAsync(_validator, new ListVectors("companies", Limit: limit));

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    [InlineData(-5)]
    public async Task Validate_limit_out_of_range_reports_limit(int limit)
    {
        var error = await Validation.SingleErrorAsync(_validator, new ListVectors("companies", Limit: limit));

        Assert.Equal("limit", error.Path);
    }

    [Fact]
    public async Task Validate_bad_index_and_namespace_are_reported()
    {
        Assert.Equal(["index", "namespace"], await Validation.PathsAsync(_validator, new ListVectors("X", "\u0000")));
    }

    [Fact]
    public async Task Handle_passes_namespace_limit_cursor_and_includes_to_the_streaming_port()
    {
        var fixture = new StorageFixture(streaming: true);
        var page = new RecordPage([new VectorRecord(VectorId.Parse("a"), new float[] { 1 })], "next");
        fixture.Streaming.ListAsync(default!, default!, default).ReturnsForAnyArgs(page);

        var result = await new ListVectorsHandler(fixture.Storage).Handle(
            new ListVectors("companies", "de", 50, "cursor-1", IncludeValues: true, IncludeMetadata: false), CancellationToken.None);

        Assert.Same(page, result);
        await fixture.Streaming.Received(1).ListAsync(
            StorageFixture.Companies,
            Arg.Is<ListRequest>(r => r.Namespace == Namespace.Parse("de") && r.Limit == 50 && r.Cursor == "cursor-1" && r.IncludeValues && !r.IncludeMetadata),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_without_limit_or_cursor_asks_for_the_first_default_page()
    {
        var fixture = new StorageFixture(streaming: true);
        fixture.Streaming.ListAsync(default!, default!, default).ReturnsForAnyArgs(new RecordPage([], null));

        await new ListVectorsHandler(fixture.Storage).Handle(new ListVectors("companies", Cursor: ""), CancellationToken.None);

        await fixture.Streaming.Received(1).ListAsync(
            StorageFixture.Companies,
            Arg.Is<ListRequest>(r => r.Limit == new ListRequest().Limit && r.Cursor == null && r.Namespace.IsDefault),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task Handle_backend_without_streaming_is_unsupported_and_names_it()
    {
        var fixture = new StorageFixture();

        var ex = await Assert.ThrowsAsync<UnsupportedOperationException>(() =>
            new ListVectorsHandler(fixture.Storage).Handle(new ListVectors("companies"), CancellationToken.None));

        Assert.Equal("test", ex.SystemName);
    }
}
