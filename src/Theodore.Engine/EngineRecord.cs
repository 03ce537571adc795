namespace Theodore.Engine;

/// <summary>
/// A record as stored: its key, its vector (for <see cref="DistanceMetric.Cosine"/> the normalized
/// vector, since that is what the engine keeps) and its metadata (never null; empty when none), and when it
/// expires and when it was soft-deleted (null for never and for not). Upserted with those set, the record is stored
/// expiring or soft-deleted from the start (a copy between graphs, a recovery).
/// </summary>
public sealed record EngineRecord(string Key, ReadOnlyMemory<float> Vector, IReadOnlyDictionary<string, EngineValue> Metadata)
{
    /// <summary>When the record expires (UTC); past it no read returns the record. Null: never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When the record was soft-deleted; null for a record that is not.</summary>
    public DateTimeOffset? DeletedAt { get; init; }
}
