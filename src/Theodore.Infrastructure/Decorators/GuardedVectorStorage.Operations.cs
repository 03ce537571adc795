using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Decorators;

/// <summary>The mixed-batch, maintenance and online-rebuild ports under the same guard as every other backend call.</summary>
public abstract partial class GuardedVectorStorage
{
    private readonly RecordOperations? _operations;
    private readonly Maintenance? _maintenance;
    private readonly Rebuild? _rebuild;

    /// <summary>True for one of the three ports, with this layer's wrapper (null when the layer below lacks the port).</summary>
    private bool TryGetOperationsPort(Type serviceType, out object? port)
    {
        port = serviceType == typeof(IRecordOperationsStorage) ? _operations
            : serviceType == typeof(IIndexMaintenanceStorage) ? _maintenance
            : serviceType == typeof(IOnlineRebuildStorage) ? _rebuild
            : null;
        return port is not null || serviceType == typeof(IRecordOperationsStorage) || serviceType == typeof(IIndexMaintenanceStorage) || serviceType == typeof(IOnlineRebuildStorage);
    }

    private sealed class RecordOperations(GuardedVectorStorage owner, IRecordOperationsStorage inner) : IRecordOperationsStorage
    {
        public ValueTask<OperationBatchResult> ApplyAsync(IndexName index, IReadOnlyList<RecordOperation> operations, Namespace ns = default, OperationBatchOptions? options = null, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.ApplyOperations, index, (inner, index, operations, ns, options), static (s, ct) => s.inner.ApplyAsync(s.index, s.operations, s.ns, s.options, ct), cancellationToken);

        public ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, bool includeDeleted, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.GetManyWithDeleted, index, (inner, index, ids, includeDeleted, ns), static (s, ct) => s.inner.GetManyAsync(s.index, s.ids, s.includeDeleted, s.ns, ct), cancellationToken);
    }

    private sealed class Maintenance(GuardedVectorStorage owner, IIndexMaintenanceStorage inner) : IIndexMaintenanceStorage
    {
        public ValueTask<CompactionResult> CompactAsync(IndexName index, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.Compact, index, (inner, index), static (s, ct) => s.inner.CompactAsync(s.index, ct), cancellationToken);

        public ValueTask<long> SweepExpiredAsync(IndexName index, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.SweepExpired, index, (inner, index), static (s, ct) => s.inner.SweepExpiredAsync(s.index, ct), cancellationToken);
    }

    private sealed class Rebuild(GuardedVectorStorage owner, IOnlineRebuildStorage inner) : IOnlineRebuildStorage
    {
        public ValueTask<RebuildStatus> StartRebuildAsync(IndexName index, HnswOptions? hnsw, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.StartRebuild, index, (inner, index, hnsw), static (s, ct) => s.inner.StartRebuildAsync(s.index, s.hnsw, ct), cancellationToken);

        public ValueTask<RebuildStatus> GetRebuildStatusAsync(IndexName index, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.GetRebuildStatus, index, (inner, index), static (s, ct) => s.inner.GetRebuildStatusAsync(s.index, ct), cancellationToken);
    }
}
