namespace Theodore.Core.Domain.Operations;

/// <summary>What one operation of a mixed batch does (<see cref="RecordOperation"/>).</summary>
public enum RecordOperationKind
{
    /// <summary>Insert or replace a record, optionally with an expiry (<see cref="VectorRecord.ExpiresAt"/>).</summary>
    Upsert,

    /// <summary>Remove a record for good.</summary>
    Delete,

    /// <summary>Hide a record from search, fetch and list until it is restored or purged by compaction.</summary>
    SoftDelete,

    /// <summary>Make a soft-deleted record visible again.</summary>
    Restore,

    /// <summary>Change a record's metadata without touching its vector (<see cref="MetadataUpdateMode"/>).</summary>
    UpdateMetadata,

    /// <summary>Set or clear a record's expiry.</summary>
    SetExpiry,
}
