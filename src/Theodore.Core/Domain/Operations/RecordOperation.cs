namespace Theodore.Core.Domain.Operations;

/// <summary>
/// One operation of a mixed batch, on one record of the batch's namespace. Built with the factories, so each kind
/// carries exactly what it needs: an upsert its record, a metadata update its metadata and mode, an expiry change its
/// new expiry (null clears it).
/// </summary>
public sealed record RecordOperation
{
    private RecordOperation(RecordOperationKind kind, VectorId id)
    {
        Kind = kind;
        Id = id;
    }

    public RecordOperationKind Kind { get; }

    public VectorId Id { get; }

    /// <summary>The record written by <see cref="RecordOperationKind.Upsert"/>; null for the other kinds.</summary>
    public VectorRecord? Record { get; private init; }

    /// <summary>The metadata of <see cref="RecordOperationKind.UpdateMetadata"/>; null for the other kinds.</summary>
    public Metadata? Metadata { get; private init; }

    public MetadataUpdateMode MetadataMode { get; private init; }

    /// <summary>The new expiry of <see cref="RecordOperationKind.SetExpiry"/>; null clears it.</summary>
    public DateTimeOffset? ExpiresAt { get; private init; }

    public static RecordOperation Upsert(VectorRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new RecordOperation(RecordOperationKind.Upsert, record.Id) { Record = record };
    }

    public static RecordOperation Delete(VectorId id) => new(RecordOperationKind.Delete, Required(id));

    public static RecordOperation SoftDelete(VectorId id) => new(RecordOperationKind.SoftDelete, Required(id));

    public static RecordOperation Restore(VectorId id) => new(RecordOperationKind.Restore, Required(id));

    public static RecordOperation UpdateMetadata(VectorId id, Metadata metadata, MetadataUpdateMode mode)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return new RecordOperation(RecordOperationKind.UpdateMetadata, Required(id)) { Metadata = metadata, MetadataMode = mode };
    }

    public static RecordOperation SetExpiry(VectorId id, DateTimeOffset? expiresAt) =>
        new(RecordOperationKind.SetExpiry, Required(id)) { ExpiresAt = expiresAt };

    private static VectorId Required(VectorId id) => id ?? throw new ArgumentNullException(nameof(id));
}
