using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;

namespace Theodore.Core.Ports;

/// <summary>
/// Index upkeep a backend runs itself: compaction, the expiry sweep and online rebuilds. An operation the backend lacks
/// (<see cref="StorageCapabilities.Compaction"/>, <see cref="StorageCapabilities.Ttl"/>,
/// <see cref="StorageCapabilities.OnlineRebuild"/>) throws <see cref="Errors.UnsupportedOperationException"/>.
/// Reached with <see cref="IVectorStorage.GetService"/>.
/// </summary>
public interface IIndexMaintenanceStorage
{
    /// <summary>Purges soft-deleted and expired records and reclaims dead graph slots, durably; returns what it removed.</summary>
    ValueTask<CompactionResult> CompactAsync(IndexName index, CancellationToken cancellationToken = default);

    /// <summary>Deletes the records whose expiry has passed, durably; returns how many.</summary>
    ValueTask<long> SweepExpiredAsync(IndexName index, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts building a new graph for the index in the background, with <paramref name="hnsw"/> (null keeps the
    /// current options); reads and writes go on against the old graph, and the new one is swapped in atomically.
    /// A request while a rebuild runs starts nothing and answers with the running one's status.
    /// </summary>
    ValueTask<RebuildStatus> StartRebuildAsync(IndexName index, HnswOptions? hnsw, CancellationToken cancellationToken = default);

    /// <summary>The running or last rebuild of the index since it was opened.</summary>
    ValueTask<RebuildStatus> GetRebuildStatusAsync(IndexName index, CancellationToken cancellationToken = default);
}
