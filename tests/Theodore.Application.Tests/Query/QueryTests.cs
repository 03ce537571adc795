using NSubstitute;
using Theodore.Application.Query;
using Theodore.Application.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;

namespace Theodore.Application.Tests.Query;

public sealed class QueryTests
{
    private readonly ParseOf<QueryByVector> _byVector = new(r => r.Parse());
    private readonly ParseOf<QueryById> _byId = new(r => r.Parse());

    private static QueryByVector ByVector(QueryOptions options) => new("companies", [1, 0, 0], options);

    private static SearchResult Result(params SearchMatch[] matches) => new(matches, Approximate: true, TimeSpan.FromMilliseconds(3));

    [Fact]
    public async Task Validate_full_options_accepts()
    {
        var options = new QueryOptions(10, Json.Parse("""{"industry":{"$in":["fintech","insurtech"]},"$or":[{"country":"DE"},{"founded":{"$gte":2015}}]}"""),
            0.5f, true, false, "de", 128, false, 20);

        await Validation.AcceptsAsync(_byVector, ByVector(options));
        await Validation.AcceptsAsync(_byId, new QueryById("companies", "acme", options));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_001)]
    [InlineData(null)]
    public async Task Validate_topK_out_of_range_or_missing_reports_topK(int? topK)
    {
        var error = await Validation.SingleErrorAsync(_byVector, ByVector(new QueryOptions(topK)));

        Assert.Equal("topK", error.Path);
        Assert.Equal("topK", (await Validation.SingleErrorAsync(_byId, new QueryById("companies", "a", new QueryOptions(topK)))).Path);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10_000)]
    public async Task Validate_topK_at_bounds_accepts(int topK) =>
        await Validation.AcceptsAsync(_byVector, ByVector(new QueryOptions(topK)));

    [Fact]
    public async Task Validate_ef_offset_and_threshold_out_of_range_are_each_reported()
    {
        var paths = await Validation.PathsAsync(_byVector, ByVector(new QueryOptions(10, ScoreThreshold: float.NaN, Ef: 5000, Offset: -1)));

        Assert.Equal(["offset", "ef", "scoreThreshold"], paths);
    }

    [Fact]
    public async Task Validate_unknown_filter_operator_names_its_path()
    {
        var rejection = await Validation.RejectionAsync(_byVector, ByVector(new QueryOptions(10, Json.Parse("""{"$or":[{"country":"DE"},{"founded":{"$gte":2015,"$between":[1,2]}}]}"""))));

        Assert.NotNull(rejection);
        Assert.Equal(ErrorCodes.InvalidFilter, rejection.Code);
        Assert.Equal("filter.$or[1].founded.$between", Assert.Single(rejection.Errors).Path);
    }

    [Fact]
    public async Task Validate_filter_comparing_with_wrong_type_names_its_path()
    {
        var error = await Validation.SingleErrorAsync(_byVector, ByVector(new QueryOptions(10, Json.Parse("""{"$or":[{"country":"DE"},{"founded":{"$gte":"2015"}}]}"""))));

        Assert.Equal("filter.$or[1].founded.$gte", error.Path);
    }

    [Fact]
    public async Task Validate_filter_nested_8_deep_accepts_and_9_deep_refuses()
    {
        await Validation.AcceptsAsync(_byVector, ByVector(new QueryOptions(10, Json.NestedAnd(8))));

        var error = await Validation.SingleErrorAsync(_byVector, ByVector(new QueryOptions(10, Json.NestedAnd(9))));
        Assert.Equal(ErrorCodes.InvalidFilter, error.Code);
        Assert.StartsWith("filter.$and[0]", error.Path, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_in_with_1024_values_accepts_and_1025_refuses()
    {
        await Validation.AcceptsAsync(_byVector, ByVector(new QueryOptions(10, Json.InList(1024))));

        var error = await Validation.SingleErrorAsync(_byVector, ByVector(new QueryOptions(10, Json.InList(1025))));
        Assert.Equal("filter.country.$in", error.Path);
        Assert.Equal(ErrorCodes.InvalidFilter, error.Code);
    }

    [Fact]
    public async Task Validate_query_vector_with_nan_and_bad_topK_lists_both()
    {
        var rejection = await Validation.RejectionAsync(_byVector, new QueryByVector("companies", [1, float.NaN, 0], new QueryOptions(0)));

        Assert.NotNull(rejection);
        Assert.Equal(["vector[1]", "topK"], rejection.Errors.Select(e => e.Path));
        Assert.Equal(ErrorCodes.InvalidRequest, rejection.Code);
    }

    [Fact]
    public async Task Validate_missing_vector_reports_vector()
    {
        Assert.Equal("vector", (await Validation.SingleErrorAsync(_byVector, new QueryByVector("companies", null, new QueryOptions(10)))).Path);
    }

    [Fact]
    public async Task Validate_mixed_filter_and_other_errors_use_the_general_code()
    {
        var rejection = await Validation.RejectionAsync(_byVector, new QueryByVector("companies", [1, 0, 0], new QueryOptions(0, Json.Parse("""{"a":{"$bad":1}}"""))));

        Assert.NotNull(rejection);
        Assert.Equal(ErrorCodes.InvalidRequest, rejection.Code);
        Assert.Equal([ErrorCodes.InvalidRequest, ErrorCodes.InvalidFilter], rejection.Errors.Select(e => e.Code));
    }

    [Fact]
    public async Task Validate_query_by_id_bad_id_and_index_are_reported()
    {
        Assert.Equal(["index", "id"], await Validation.PathsAsync(_byId, new QueryById("UPPER", new string('x', 513), new QueryOptions(5))));
    }

    [Fact]
    public async Task QueryByVector_maps_every_option_to_the_port()
    {
        var fixture = new StorageFixture().WithIndex();
        var expected = Result(new SearchMatch(VectorId.Parse("b"), 0.9f, 0.1f));
        fixture.Storage.SearchAsync(default!, default, default!, default).ReturnsForAnyArgs(expected);
        var options = new QueryOptions(5, Json.Parse("""{"industry":"fintech"}"""), 0.25f, IncludeValues: true, IncludeMetadata: false, "de", 64, Exact: true, Offset: 2);

        var result = await new QueryByVectorHandler(fixture.Storage).Handle(ByVector(options), CancellationToken.None);

        Assert.Same(expected, result);
        await fixture.Storage.Received(1).SearchAsync(
            StorageFixture.Companies,
            Arg.Is<ReadOnlyMemory<float>>(v => v.ToArray().SequenceEqual(new float[] { 1, 0, 0 })),
            Arg.Is<SearchOptions>(o => o.TopK == 5 && o.Offset == 2 && o.ScoreThreshold == 0.25f && o.IncludeValues && !o.IncludeMetadata
                && o.Namespace == Namespace.Parse("de") && o.Ef == 64 && o.Exact && o.Filter == Filter.Eq("industry", "fintech")),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task QueryByVector_defaults_include_metadata_but_not_values()
    {
        var fixture = new StorageFixture().WithIndex();
        fixture.Storage.SearchAsync(default!, default, default!, default).ReturnsForAnyArgs(Result());

        await new QueryByVectorHandler(fixture.Storage).Handle(ByVector(new QueryOptions(3)), CancellationToken.None);

        await fixture.Storage.Received(1).SearchAsync(
            StorageFixture.Companies,
            Arg.Any<ReadOnlyMemory<float>>(),
            Arg.Is<SearchOptions>(o => o.IncludeMetadata && !o.IncludeValues && o.Filter == null && !o.Exact && o.Ef == null && o.Offset == 0),
            Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task QueryByVector_non_unit_query_in_normalizing_index_is_searched()
    {
        var fixture = new StorageFixture().WithIndex(embedding: new EmbeddingContract("hash", "1", normalize: true));
        fixture.Storage.SearchAsync(default!, default, default!, default).ReturnsForAnyArgs(Result());

        await new QueryByVectorHandler(fixture.Storage).Handle(new QueryByVector("companies", [3, 4, 0], new QueryOptions(3)), CancellationToken.None);

        await fixture.Storage.ReceivedWithAnyArgs(1).SearchAsync(default!, default, default!, default);
    }

    [Fact]
    public async Task QueryById_searches_by_the_stored_record()
    {
        var fixture = new StorageFixture();
        var expected = Result(new SearchMatch(VectorId.Parse("b"), 0.8f, 0.2f));
        fixture.Storage.SearchByIdAsync(default!, default!, default!, default).ReturnsForAnyArgs(expected);

        var result = await new QueryByIdHandler(fixture.Storage).Handle(new QueryById("companies", "acme", new QueryOptions(4, Namespace: "de")), CancellationToken.None);

        Assert.Same(expected, result);
        await fixture.Storage.Received(1).SearchByIdAsync(
            StorageFixture.Companies, VectorId.Parse("acme"), Arg.Is<SearchOptions>(o => o.TopK == 4 && o.Namespace == Namespace.Parse("de")), Arg.Any<CancellationToken>());
    }

    [Fact]
    public async Task QueryById_missing_record_throws_record_not_found()
    {
        var fixture = new StorageFixture();
        fixture.Storage.SearchByIdAsync(default!, default!, default!, default).ReturnsForAnyArgs<SearchResult>(_ => throw new RecordNotFoundException("companies", "ghost"));

        await Assert.ThrowsAsync<RecordNotFoundException>(() => new QueryByIdHandler(fixture.Storage).Handle(new QueryById("companies", "ghost", new QueryOptions(4)), CancellationToken.None));
    }
}
