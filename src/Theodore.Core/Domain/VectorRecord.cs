namespace Theodore.Core.Domain;

/// <summary>
/// A stored record: id, vector and metadata, and optionally when it expires. The namespace travels beside it in each
/// call. A record past <see cref="ExpiresAt"/> is never returned by any operation of a backend that supports TTL
/// (<see cref="Ports.StorageCapabilities.Ttl"/>); one that does not refuses a record that carries an expiry.
/// </summary>
public sealed record VectorRecord(VectorId Id, ReadOnlyMemory<float> Values, Metadata Metadata)
{
    /// <summary>When the record expires (UTC); null for never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>When the record was soft-deleted; set only on records read with deleted ones included, else null.</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    public VectorRecord(VectorId id, ReadOnlyMemory<float> values)
        : this(id, values, Metadata.Empty)
    {
    }
}
