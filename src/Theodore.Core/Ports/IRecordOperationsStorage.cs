using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;

namespace Theodore.Core.Ports;

/// <summary>
/// Mixed batches of record operations (<see cref="StorageCapabilities.MixedBatches"/>): upsert, delete, soft delete,
/// restore, metadata update and expiry change, each with its own result, optionally all or nothing. Kinds a backend
/// lacks (<see cref="StorageCapabilities.SoftDelete"/>, <see cref="StorageCapabilities.Ttl"/>) and atomic batches it
/// cannot apply (<see cref="StorageCapabilities.AtomicBatches"/>) are refused up front with
/// <see cref="Errors.UnsupportedOperationException"/>, nothing applied. Reached with <see cref="IVectorStorage.GetService"/>.
/// </summary>
public interface IRecordOperationsStorage
{
    /// <summary>Applies <paramref name="operations"/> in order (at most <see cref="OperationBatchOptions.MaxOperations"/>).</summary>
    ValueTask<OperationBatchResult> ApplyAsync(
        IndexName index,
        IReadOnlyList<RecordOperation> operations,
        Namespace ns = default,
        OperationBatchOptions? options = null,
        CancellationToken cancellationToken = default);

    /// <summary>
    /// The records that exist, in request order, soft-deleted ones included when <paramref name="includeDeleted"/>
    /// (with <see cref="VectorRecord.DeletedAt"/> set). Expired records are never returned.
    /// </summary>
    ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, bool includeDeleted, Namespace ns = default, CancellationToken cancellationToken = default);
}
