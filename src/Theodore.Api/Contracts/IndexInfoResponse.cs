using Theodore.Application.Common;
using Theodore.Core.Domain;

namespace Theodore.Api.Contracts;

/// <summary>What an index is and how many vectors it holds.</summary>
public sealed record IndexInfoResponse(
    string Name,
    int Dimension,
    string Metric,
    EmbeddingDto? Embedding,
    HnswDto? Hnsw,
    long VectorCount,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt)
{
    public static IndexInfoResponse From(IndexInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var definition = info.Definition;
        return new(
            definition.Name.Value,
            definition.Dimension,
            MetricNames.ToName(definition.Metric),
            definition.Embedding is { } e ? new EmbeddingDto(e.Model, e.Version, e.Normalize) : null,
            definition.Hnsw is { } h ? new HnswDto(h.M, h.EfConstruction) : null,
            info.VectorCount,
            info.CreatedAt,
            info.UpdatedAt);
    }
}
