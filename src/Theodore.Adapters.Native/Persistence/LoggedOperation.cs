using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;

namespace Theodore.Adapters.Native.Persistence;

/// <summary>
/// One applied record operation as the log holds it: what replay must do, already resolved (a metadata update carries
/// the record's whole new metadata, whatever the mode; an upsert its stored record and expiry; an expiry change its
/// new expiry, null clearing it).
/// </summary>
internal sealed record LoggedOperation(RecordOperationKind Kind, string Id)
{
    public StoredRecord? Record { get; init; }

    public Metadata? Metadata { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }
}
