using Theodore.Application.Common;
using Theodore.Core.Domain;

namespace Theodore.Api.Contracts;

/// <summary>What an index is and how many vectors it holds.</summary>
public sealed record IndexInfoResponse(
    string Name,
    int Dimension,
    string Metric,
    long VectorCount,
    EmbeddingDto? Embedding = null,
    HnswDto? Hnsw = null,
    DateTimeOffset? CreatedAt = null,
    DateTimeOffset? UpdatedAt = null,
    QuantizationDto? Quantization = null)
{
    public static IndexInfoResponse From(IndexInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var definition = info.Definition;
        return new(
            definition.Name.Value,
            definition.Dimension,
            MetricNames.ToName(definition.Metric),
            info.VectorCount,
            definition.Embedding is { } e ? new EmbeddingDto(e.Model, e.Version, e.Normalize) : null,
            definition.Hnsw is { } h ? new HnswDto(h.M, h.EfConstruction) : null,
            info.CreatedAt,
            info.UpdatedAt,
            definition.Quantization is { } q ? new QuantizationDto(QuantizationOptions.ToName(q.Kind), q.RerankFactor) : null);
    }
}
