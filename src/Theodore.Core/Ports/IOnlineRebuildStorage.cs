using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;

namespace Theodore.Core.Ports;

/// <summary>
/// Online rebuilds of an index's graph (<see cref="StorageCapabilities.OnlineRebuild"/>), reached with
/// <see cref="IVectorStorage.GetService"/>.
/// </summary>
public interface IOnlineRebuildStorage
{
    /// <summary>
    /// Starts building a new graph for the index in the background, with <paramref name="hnsw"/> (null keeps the
    /// current options); reads and writes go on against the old graph, writes made meanwhile reach the new one, and
    /// the new one is swapped in atomically. A request while a rebuild runs starts nothing and answers with the
    /// running one's status.
    /// </summary>
    ValueTask<RebuildStatus> StartRebuildAsync(IndexName index, HnswOptions? hnsw, CancellationToken cancellationToken = default);

    /// <summary>The running or last rebuild of the index since it was opened.</summary>
    ValueTask<RebuildStatus> GetRebuildStatusAsync(IndexName index, CancellationToken cancellationToken = default);
}
