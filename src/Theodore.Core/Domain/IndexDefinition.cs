using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>What an index is: its name, vector dimension, metric, and optionally its embedding contract and HNSW options.</summary>
public sealed record IndexDefinition
{
    public const int MinDimension = 1;
    public const int MaxDimension = 20_000;

    public IndexDefinition(IndexName name, int dimension, DistanceMetric metric, EmbeddingContract? embedding = null, HnswOptions? hnsw = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (dimension is < MinDimension or > MaxDimension)
        {
            throw new InvalidRequestException("dimension", $"must be between {MinDimension} and {MaxDimension}, got {dimension}");
        }

        if (!Enum.IsDefined(metric))
        {
            throw new InvalidRequestException("metric", $"unknown metric '{metric}'");
        }

        Name = name;
        Dimension = dimension;
        Metric = metric;
        Embedding = embedding;
        Hnsw = hnsw;
    }

    public IndexName Name { get; }

    public int Dimension { get; }

    public DistanceMetric Metric { get; }

    public EmbeddingContract? Embedding { get; }

    public HnswOptions? Hnsw { get; }
}
