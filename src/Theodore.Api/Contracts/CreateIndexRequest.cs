using Theodore.Application.Indexes;

namespace Theodore.Api.Contracts;

/// <summary>Body of <c>POST /v1/indexes</c>. Metric is one of cosine, euclidean, dotproduct, manhattan.</summary>
public sealed record CreateIndexRequest(
    string? Name, int? Dimension, string? Metric, EmbeddingDto? Embedding = null, HnswDto? Hnsw = null, QuantizationDto? Quantization = null)
{
    public CreateIndex ToUseCase() => new(
        Name,
        Dimension,
        Metric,
        Embedding is { } e ? new CreateIndex.EmbeddingInput(e.Model, e.Version, e.Normalize) : null,
        Hnsw is { } h ? new CreateIndex.HnswInput(h.M, h.EfConstruction) : null,
        Quantization is { } q ? new CreateIndex.QuantizationInput(q.Kind, q.RerankFactor) : null);
}
