using Theodore.Core.Domain;

namespace Theodore.Core.Tests.Domain;

public sealed class SearchOptionsTests
{
    [Fact]
    public void Defaults_are_ten_matches_with_metadata_and_no_values()
    {
        var options = new SearchOptions();

        Assert.Equal(10, options.TopK);
        Assert.Equal(0, options.Offset);
        Assert.True(options.IncludeMetadata);
        Assert.False(options.IncludeValues);
        Assert.Null(options.Ef);
        Assert.Null(options.Filter);
        Assert.Null(options.ScoreThreshold);
        Assert.True(options.Namespace.IsDefault);
        Assert.False(options.Exact);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10_000)]
    public void TopK_within_range_is_accepted(int topK) => Assert.Equal(topK, new SearchOptions { TopK = topK }.TopK);

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    [InlineData(10_001)]
    public void TopK_out_of_range_is_refused(int topK)
    {
        var ex = Expect.InvalidAt(() => _ = new SearchOptions { TopK = topK }, "topK");

        Assert.Contains($"got {topK}", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    [InlineData(null)]
    public void Ef_within_range_or_null_is_accepted(int? ef) => Assert.Equal(ef, new SearchOptions { Ef = ef }.Ef);

    [Theory]
    [InlineData(0)]
    [InlineData(4097)]
    public void Ef_out_of_range_is_refused(int ef)
    {
        Expect.InvalidAt(() => _ = new SearchOptions { Ef = ef }, "ef");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(null)]
    public void RerankFactor_within_range_or_null_is_accepted(int? factor) => Assert.Equal(factor, new SearchOptions { RerankFactor = factor }.RerankFactor);

    [Theory]
    [InlineData(0)]
    [InlineData(101)]
    public void RerankFactor_out_of_range_is_refused(int factor)
    {
        Expect.InvalidAt(() => _ = new SearchOptions { RerankFactor = factor }, "rerankFactor");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(10_000)]
    public void Offset_within_range_is_accepted(int offset) => Assert.Equal(offset, new SearchOptions { Offset = offset }.Offset);

    [Theory]
    [InlineData(-1)]
    [InlineData(10_001)]
    public void Offset_out_of_range_is_refused(int offset)
    {
        Expect.InvalidAt(() => _ = new SearchOptions { Offset = offset }, "offset");
    }

    [Fact]
    public void With_keeps_validated_values()
    {
        var options = new SearchOptions { TopK = 5, Ef = 64 } with { Offset = 3 };

        Assert.Equal(5, options.TopK);
        Assert.Equal(64, options.Ef);
        Assert.Equal(3, options.Offset);
    }
}
