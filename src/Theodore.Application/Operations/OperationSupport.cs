using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Operations;

/// <summary>
/// Refuses up front, with nothing sent to the backend, what its capabilities say it cannot do: an atomic batch, a soft
/// delete or restore, an expiry, deleted records in a read. The ports refuse the same; checking here keeps the answer
/// the same 501 on every backend even before a call is made.
/// </summary>
internal static class OperationSupport
{
    public static void ThrowIfUnsupported(StorageCapabilities capabilities, IReadOnlyList<RecordOperation> operations, bool atomic)
    {
        if (!capabilities.MixedBatches)
        {
            throw Unsupported(capabilities, "mixed batches of record operations");
        }

        if (atomic && !capabilities.AtomicBatches)
        {
            throw Unsupported(capabilities, "atomic batches (\"atomic\": true)");
        }

        foreach (var operation in operations)
        {
            if (operation.Kind is RecordOperationKind.SoftDelete or RecordOperationKind.Restore)
            {
                ThrowIfNoSoftDelete(capabilities);
            }

            if (operation.Kind == RecordOperationKind.SetExpiry || operation.Record?.ExpiresAt is not null)
            {
                ThrowIfNoTtl(capabilities);
            }
        }
    }

    public static void ThrowIfNoSoftDelete(StorageCapabilities capabilities)
    {
        if (!capabilities.SoftDelete)
        {
            throw Unsupported(capabilities, "soft delete and restore");
        }
    }

    public static void ThrowIfNoTtl(StorageCapabilities capabilities)
    {
        if (!capabilities.Ttl)
        {
            throw Unsupported(capabilities, "record expiry (expiresAt, ttlSeconds)");
        }
    }

    public static UnsupportedOperationException Unsupported(StorageCapabilities capabilities, string what) =>
        new($"The '{capabilities.SystemName}' backend does not support {what}.") { SystemName = capabilities.SystemName };
}
