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

    /// <summary>Soft-deleted records kept for restore until compaction purges them; null when the backend has no soft delete.</summary>
    public long? SoftDeletedVectors { get; init; }

    /// <summary>Records whose expiry has passed but which the sweeper has not deleted yet (never returned); null without TTL.</summary>
    public long? ExpiredVectors { get; init; }

    /// <summary>The last or running online rebuild; null when the backend cannot rebuild online.</summary>
    public Operations.RebuildStatus? Rebuild { get; init; }
}
