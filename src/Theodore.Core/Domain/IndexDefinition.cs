using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>
/// What an index is: its name, vector dimension, metric, and optionally its embedding contract, HNSW options and
/// quantization.
/// </summary>
public sealed record IndexDefinition
{
    public const int MinDimension = 1;
    public const int MaxDimension = 20_000;

    public IndexDefinition(IndexName name, int dimension, DistanceMetric metric, EmbeddingContract? embedding = null, HnswOptions? hnsw = null, QuantizationOptions? quantization = null)
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

        if (quantization is { Kind: not VectorQuantization.None } && metric == DistanceMetric.Manhattan)
        {
            throw new InvalidRequestException("quantization.kind", "quantization needs the cosine, euclidean or dotproduct metric; manhattan distances have no form over codes");
        }

        Name = name;
        Dimension = dimension;
        Metric = metric;
        Embedding = embedding;
        Hnsw = hnsw;
        Quantization = quantization is { Kind: VectorQuantization.None } ? null : quantization;
    }

    public IndexName Name { get; }

    public int Dimension { get; }

    public DistanceMetric Metric { get; }

    public EmbeddingContract? Embedding { get; }

    public HnswOptions? Hnsw { get; }

    /// <summary>The index's quantization; null when its searches walk on the float vectors.</summary>
    public QuantizationOptions? Quantization { get; }
}
