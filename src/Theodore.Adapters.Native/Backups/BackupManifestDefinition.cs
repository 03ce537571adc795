using Theodore.Core.Domain;

namespace Theodore.Adapters.Native.Backups;

/// <summary>An index definition as the manifest shows it to people; a restore reads the definition from the snapshot itself.</summary>
internal sealed record BackupManifestDefinition(
    int Dimension, DistanceMetric Metric, string? EmbeddingModel, string? EmbeddingVersion, int? HnswM, int? HnswEfConstruction,
    string? Quantization = null, int? RerankFactor = null)
{
    public static BackupManifestDefinition From(IndexDefinition definition) =>
        new(
            definition.Dimension, definition.Metric, definition.Embedding?.Model, definition.Embedding?.Version, definition.Hnsw?.M, definition.Hnsw?.EfConstruction,
            definition.Quantization is { } q ? QuantizationOptions.ToName(q.Kind) : null, definition.Quantization?.RerankFactor);
}
