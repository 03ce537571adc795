using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;

namespace Theodore.Core.Ports;

/// <summary>Many records at once, chunked by count and bytes, with progress and per-item errors.</summary>
public interface IBatchVectorStorage
{
    ValueTask<BatchResult> UpsertManyAsync(
        IndexName index,
        IReadOnlyList<VectorRecord> records,
        Namespace ns = default,
        BatchOptions? options = null,
        IProgress<BatchProgress>? progress = null,
        CancellationToken cancellationToken = default);

    /// <summary>The records that exist, in request order; missing ids are left out.</summary>
    ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default);

    /// <summary>Deletes by id; <see cref="BatchResult.Succeeded"/> counts the records that existed.</summary>
    ValueTask<BatchResult> DeleteManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default);

    /// <summary>Deletes every record of the namespace that matches; returns how many were deleted.</summary>
    ValueTask<long> DeleteByFilterAsync(IndexName index, FilterExpression filter, Namespace ns = default, CancellationToken cancellationToken = default);

    /// <summary>Deletes every record of the namespace; returns how many were deleted.</summary>
    ValueTask<long> DeleteAllAsync(IndexName index, Namespace ns = default, CancellationToken cancellationToken = default);
}
