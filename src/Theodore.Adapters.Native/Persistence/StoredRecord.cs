using Theodore.Core.Domain;

namespace Theodore.Adapters.Native.Persistence;

/// <summary>
/// A record as the log and the snapshot hold it: the id, the vector as stored (for cosine, normalized) and metadata,
/// and (recovery's net state, and upserts logged in operation records) its expiry and soft-delete time.
/// </summary>
internal sealed record StoredRecord(string Id, ReadOnlyMemory<float> Values, Metadata Metadata)
{
    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }
}
