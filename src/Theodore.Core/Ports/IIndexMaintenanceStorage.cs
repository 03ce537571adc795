using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;

namespace Theodore.Core.Ports;

/// <summary>
/// Index upkeep a backend runs itself: compaction and the expiry sweep. An operation the backend lacks
/// (<see cref="StorageCapabilities.Compaction"/>, <see cref="StorageCapabilities.Ttl"/>) throws
/// <see cref="Errors.UnsupportedOperationException"/>.
/// Reached with <see cref="IVectorStorage.GetService"/>.
/// </summary>
public interface IIndexMaintenanceStorage
{
    /// <summary>Purges soft-deleted and expired records and reclaims dead graph slots, durably; returns what it removed.</summary>
    ValueTask<CompactionResult> CompactAsync(IndexName index, CancellationToken cancellationToken = default);

    /// <summary>Deletes the records whose expiry has passed, durably; returns how many.</summary>
    ValueTask<long> SweepExpiredAsync(IndexName index, CancellationToken cancellationToken = default);
}
