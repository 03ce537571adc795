using System.Diagnostics;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Decorators.Telemetry;

/// <summary>
/// Spans and metrics of mixed batches (a span per batch, batch size = operations; each operation counted by kind and
/// outcome), compaction (records purged), the expiry sweep (records deleted) and online rebuilds.
/// </summary>
public sealed partial class TelemetryVectorStorage
{
    private readonly RecordOperations? _operations;
    private readonly Maintenance? _maintenance;
    private readonly Rebuild? _rebuild;

    private bool TryGetOperationsPort(Type serviceType, out object? port)
    {
        port = serviceType == typeof(IRecordOperationsStorage) ? _operations
            : serviceType == typeof(IIndexMaintenanceStorage) ? _maintenance
            : serviceType == typeof(IOnlineRebuildStorage) ? _rebuild
            : null;
        return port is not null || serviceType == typeof(IRecordOperationsStorage) || serviceType == typeof(IIndexMaintenanceStorage) || serviceType == typeof(IOnlineRebuildStorage);
    }

    private void CountOperations(IndexName index, OperationBatchResult result)
    {
        foreach (var operation in result.Results)
        {
            var tags = new TagList
            {
                { SemanticConventions.SystemName, _system },
                { SemanticConventions.CollectionName, index.Value },
                { SemanticConventions.OperationName, OperationName(operation.Kind) },
            };
            if (operation.ErrorCode is { } code)
            {
                tags.Add(SemanticConventions.ErrorType, code);
            }

            _instrumentation.RecordOperations.Add(1, tags);
        }
    }

    private static string OperationName(RecordOperationKind kind) => kind switch
    {
        RecordOperationKind.Upsert => "upsert",
        RecordOperationKind.Delete => "delete",
        RecordOperationKind.SoftDelete => "soft_delete",
        RecordOperationKind.Restore => "restore",
        RecordOperationKind.UpdateMetadata => "update_metadata",
        RecordOperationKind.SetExpiry => "set_expiry",
        _ => kind.ToString(),
    };

    private KeyValuePair<string, object?>[] IndexTags(IndexName index) =>
        [new(SemanticConventions.SystemName, _system), new(SemanticConventions.CollectionName, index.Value)];

    private sealed class RecordOperations(TelemetryVectorStorage owner, IRecordOperationsStorage inner) : IRecordOperationsStorage
    {
        public async ValueTask<OperationBatchResult> ApplyAsync(IndexName index, IReadOnlyList<RecordOperation> operations, Namespace ns = default, OperationBatchOptions? options = null, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(index);
            var result = await owner.TraceAsync(new(StorageOperations.ApplyOperations, index, ns, BatchSize: operations?.Count), (inner, index, operations!, ns, options), static (s, ct) => s.inner.ApplyAsync(s.index, s.Item3, s.ns, s.options, ct), static r => r.Succeeded, cancellationToken).ConfigureAwait(false);
            owner.CountOperations(index, result);
            return result;
        }

        public ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, bool includeDeleted, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.TraceAsync(new(StorageOperations.GetManyWithDeleted, index, ns, BatchSize: ids?.Count), (inner, index, ids!, includeDeleted, ns), static (s, ct) => s.inner.GetManyAsync(s.index, s.Item3, s.includeDeleted, s.ns, ct), static r => r.Count, cancellationToken);
    }

    private sealed class Maintenance(TelemetryVectorStorage owner, IIndexMaintenanceStorage inner) : IIndexMaintenanceStorage
    {
        public async ValueTask<CompactionResult> CompactAsync(IndexName index, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(index);
            var result = await owner.TraceAsync(new(StorageOperations.Compact, index), (inner, index), static (s, ct) => s.inner.CompactAsync(s.index, ct), static r => r.PurgedSoftDeleted + r.PurgedExpired, cancellationToken).ConfigureAwait(false);
            owner._instrumentation.CompactedRecords.Add(result.PurgedSoftDeleted + result.PurgedExpired, owner.IndexTags(index));
            return result;
        }

        public async ValueTask<long> SweepExpiredAsync(IndexName index, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(index);
            var swept = await owner.TraceAsync(new(StorageOperations.SweepExpired, index), (inner, index), static (s, ct) => s.inner.SweepExpiredAsync(s.index, ct), static r => r, cancellationToken).ConfigureAwait(false);
            owner._instrumentation.SweptRecords.Add(swept, owner.IndexTags(index));
            return swept;
        }
    }

    private sealed class Rebuild(TelemetryVectorStorage owner, IOnlineRebuildStorage inner) : IOnlineRebuildStorage
    {
        public ValueTask<RebuildStatus> StartRebuildAsync(IndexName index, HnswOptions? hnsw, CancellationToken cancellationToken = default) =>
            owner.TraceAsync(new(StorageOperations.StartRebuild, index), (inner, index, hnsw), static (s, ct) => s.inner.StartRebuildAsync(s.index, s.hnsw, ct), null, cancellationToken);

        public ValueTask<RebuildStatus> GetRebuildStatusAsync(IndexName index, CancellationToken cancellationToken = default) =>
            owner.TraceAsync(new(StorageOperations.GetRebuildStatus, index), (inner, index), static (s, ct) => s.inner.GetRebuildStatusAsync(s.index, ct), null, cancellationToken);
    }
}
