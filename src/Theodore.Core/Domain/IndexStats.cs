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
    DateTimeOffset? UpdatedAt);
