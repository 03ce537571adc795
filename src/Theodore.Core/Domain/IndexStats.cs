namespace Theodore.Core.Domain;

/// <summary>
/// Statistics of an index: vectors in total and per namespace, memory where the backend knows it, and for each
/// metadata field the number of records that have it.
/// </summary>
public sealed record IndexStats(
    long TotalVectors,
    int Dimension,
    DistanceMetric Metric,
    long? MemoryBytes,
    IReadOnlyDictionary<string, long> MetadataFields,
    IReadOnlyDictionary<string, long> Namespaces,
    DateTimeOffset? CreatedAt,
    DateTimeOffset? UpdatedAt)
{
    /// <summary>
    /// Vectors stored and searchable (by exact scan) but not yet in the ANN index; null when the backend does not
    /// say. Comparable to Qdrant's total minus indexed vectors.
    /// </summary>
    public long? UnindexedVectors { get; init; }
}
