using Theodore.Core.Domain;

namespace Theodore.Core.Tests.Domain;

public sealed class IndexDefinitionTests
{
    private static readonly IndexName Name = IndexName.Parse("companies");

    [Theory]
    [InlineData(1)]
    [InlineData(384)]
    [InlineData(20_000)]
    public void Constructor_dimension_within_range_is_accepted(int dimension)
    {
        var definition = new IndexDefinition(Name, dimension, DistanceMetric.Cosine);

        Assert.Equal(dimension, definition.Dimension);
        Assert.Equal(Name, definition.Name);
        Assert.Equal(DistanceMetric.Cosine, definition.Metric);
        Assert.Null(definition.Embedding);
        Assert.Null(definition.Hnsw);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(20_001)]
    public void Constructor_dimension_out_of_range_is_refused(int dimension)
    {
        var ex = Expect.InvalidAt(() => _ = new IndexDefinition(Name, dimension, DistanceMetric.Cosine), "dimension");

        Assert.Contains($"got {dimension}", ex.Errors[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_undefined_metric_is_refused()
    {
        Expect.InvalidAt(() => _ = new IndexDefinition(Name, 3, (DistanceMetric)42), "metric");
    }

    [Fact]
    public void Constructor_null_name_throws()
    {
        Assert.Throws<ArgumentNullException>(() => new IndexDefinition(null!, 3, DistanceMetric.Cosine));
    }

    [Fact]
    public void Constructor_keeps_contract_and_hnsw_options()
    {
        var contract = new EmbeddingContract("text-embedding-3-small", "1", normalize: true);
        var hnsw = new HnswOptions(32, 400);

        var definition = new IndexDefinition(Name, 1536, DistanceMetric.DotProduct, contract, hnsw);

        Assert.Same(contract, definition.Embedding);
        Assert.Same(hnsw, definition.Hnsw);
    }
}
