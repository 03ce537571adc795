using System.Threading.RateLimiting;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Decorators.Concurrency;

/// <summary>
/// A bulkhead: at most <see cref="ConcurrencyLimitOptions.PermitLimit"/> calls in flight and
/// <see cref="ConcurrencyLimitOptions.QueueLimit"/> waiting, oldest first. A call beyond the queue, or one that waits
/// longer than <see cref="ConcurrencyLimitOptions.QueueTimeout"/>, fails at once with the transient
/// <see cref="StorageBusyException"/> and a RetryAfter. Covers the batch and streaming ports (a scan holds a slot per
/// page, not for the whole stream). Health checks skip the queue: a full bulkhead must not make the service look dead.
/// </summary>
public sealed class ConcurrencyLimitVectorStorage : DelegatingVectorStorage, IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly ConcurrencyLimitOptions _options;
    private readonly TimeProvider _time;
    private readonly Batch? _batch;
    private readonly Streaming? _streaming;

    public ConcurrencyLimitVectorStorage(IVectorStorage inner, ConcurrencyLimitOptions options, TimeProvider? time = null)
        : base(inner)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.PermitLimit,
            QueueLimit = options.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _batch = inner.GetService<IBatchVectorStorage>() is { } batch ? new Batch(this, batch) : null;
        _streaming = inner.GetService<IStreamingVectorStorage>() is { } streaming ? new Streaming(this, streaming) : null;
    }

    /// <summary>Calls in flight (leased) and waiting now.</summary>
    public (long InFlight, long Queued) Load
    {
        get
        {
            var stats = _limiter.GetStatistics();
            return stats is null ? (0, 0) : (_options.PermitLimit - stats.CurrentAvailablePermits, stats.CurrentQueuedCount);
        }
    }

    public override ValueTask<IndexInfo> CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperations.CreateIndex, definition?.Name, (Inner, definition!), static (s, ct) => s.Inner.CreateIndexAsync(s.Item2, ct), cancellationToken);

    public override ValueTask<IndexInfo> DescribeIndexAsync(IndexName index, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperations.DescribeIndex, index, (Inner, index), static (s, ct) => s.Inner.DescribeIndexAsync(s.index, ct), cancellationToken);

    public override ValueTask<IReadOnlyList<IndexInfo>> ListIndexesAsync(CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperations.ListIndexes, null, Inner, static (inner, ct) => inner.ListIndexesAsync(ct), cancellationToken);

    public override ValueTask DeleteIndexAsync(IndexName index, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperations.DeleteIndex, index, (Inner, index), static (s, ct) => s.Inner.DeleteIndexAsync(s.index, ct), cancellationToken);

    public override ValueTask UpsertAsync(IndexName index, VectorRecord record, Namespace ns = default, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperations.Upsert, index, (Inner, index, record, ns), static (s, ct) => s.Inner.UpsertAsync(s.index, s.record, s.ns, ct), cancellationToken);

    public override ValueTask<VectorRecord?> GetAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperations.Get, index, (Inner, index, id, ns), static (s, ct) => s.Inner.GetAsync(s.index, s.id, s.ns, ct), cancellationToken);

    public override ValueTask<bool> DeleteAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperations.Delete, index, (Inner, index, id, ns), static (s, ct) => s.Inner.DeleteAsync(s.index, s.id, s.ns, ct), cancellationToken);

    public override ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperations.Search, index, (Inner, index, vector, options), static (s, ct) => s.Inner.SearchAsync(s.index, s.vector, s.options, ct), cancellationToken);

    public override ValueTask<SearchResult> SearchByIdAsync(IndexName index, VectorId id, SearchOptions options, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperations.SearchById, index, (Inner, index, id, options), static (s, ct) => s.Inner.SearchByIdAsync(s.index, s.id, s.options, ct), cancellationToken);

    public override ValueTask<IndexStats> GetStatsAsync(IndexName index, CancellationToken cancellationToken = default) =>
        RunAsync(StorageOperations.GetStats, index, (Inner, index), static (s, ct) => s.Inner.GetStatsAsync(s.index, ct), cancellationToken);

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(IBatchVectorStorage))
        {
            return _batch;
        }

        if (serviceKey is null && serviceType == typeof(IStreamingVectorStorage))
        {
            return _streaming;
        }

        return base.GetService(serviceType, serviceKey);
    }

    public void Dispose() => _limiter.Dispose();

    private async ValueTask RunAsync<TState>(string operation, IndexName? index, TState state, Func<TState, CancellationToken, ValueTask> call, CancellationToken cancellationToken)
    {
        using var lease = await AcquireAsync(operation, index, cancellationToken).ConfigureAwait(false);
        await call(state, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<TResult> RunAsync<TState, TResult>(string operation, IndexName? index, TState state, Func<TState, CancellationToken, ValueTask<TResult>> call, CancellationToken cancellationToken)
    {
        using var lease = await AcquireAsync(operation, index, cancellationToken).ConfigureAwait(false);
        return await call(state, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<RateLimitLease> AcquireAsync(string operation, IndexName? index, CancellationToken cancellationToken)
    {
        // the common case takes a free slot without a timer; only a call that has to queue pays for its timeout
        var lease = _limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult(lease);
        }

        lease.Dispose();
        return QueueAsync(operation, index, cancellationToken);
    }

    private async ValueTask<RateLimitLease> QueueAsync(string operation, IndexName? index, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.QueueTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Busy(operation, index, $"waited {_options.QueueTimeout.TotalSeconds:0.###} s for a slot");
        }

        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        throw Busy(operation, index, $"{_options.PermitLimit} calls are in flight and {_options.QueueLimit} waiting");
    }

    private StorageBusyException Busy(string operation, IndexName? index, string why) =>
        new($"The '{Inner.Capabilities.SystemName}' storage is busy: {why}.")
        {
            RetryAfter = _options.RetryAfter,
            SystemName = Inner.Capabilities.SystemName,
            Index = index?.Value,
            Operation = operation,
        };

    private sealed class Batch(ConcurrencyLimitVectorStorage owner, IBatchVectorStorage inner) : IBatchVectorStorage
    {
        public ValueTask<BatchResult> UpsertManyAsync(IndexName index, IReadOnlyList<VectorRecord> records, Namespace ns = default, BatchOptions? options = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.UpsertMany, index, (inner, index, records, ns, options, progress), static (s, ct) => s.inner.UpsertManyAsync(s.index, s.records, s.ns, s.options, s.progress, ct), cancellationToken);

        public ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.GetMany, index, (inner, index, ids, ns), static (s, ct) => s.inner.GetManyAsync(s.index, s.ids, s.ns, ct), cancellationToken);

        public ValueTask<BatchResult> DeleteManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.DeleteMany, index, (inner, index, ids, ns), static (s, ct) => s.inner.DeleteManyAsync(s.index, s.ids, s.ns, ct), cancellationToken);

        public ValueTask<long> DeleteByFilterAsync(IndexName index, FilterExpression filter, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.DeleteByFilter, index, (inner, index, filter, ns), static (s, ct) => s.inner.DeleteByFilterAsync(s.index, s.filter, s.ns, ct), cancellationToken);

        public ValueTask<long> DeleteAllAsync(IndexName index, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.DeleteAll, index, (inner, index, ns), static (s, ct) => s.inner.DeleteAllAsync(s.index, s.ns, ct), cancellationToken);
    }

    private sealed class Streaming(ConcurrencyLimitVectorStorage owner, IStreamingVectorStorage inner) : IStreamingVectorStorage
    {
        public ValueTask<RecordPage> ListAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.List, index, (inner, index, request), static (s, ct) => s.inner.ListAsync(s.index, s.request, ct), cancellationToken);

        public IAsyncEnumerable<VectorRecord> ScanAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default) =>
            PagedScan.ScanAsync((page, ct) => ListAsync(index, page, ct), request, cancellationToken);
    }
}
