using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Decorators.Resilience;

/// <summary>
/// Runs every backend call through the storage pipeline (<see cref="StoragePipeline"/>): timeouts and the breaker for
/// all, retries only for transient errors of idempotent operations (<see cref="StorageOperations"/>). An open circuit
/// surfaces as <see cref="CircuitOpenException"/>, a timeout as <see cref="StorageTimeoutException"/>. Covers the
/// batch and streaming ports (a scan retries page by page); backups pass by untouched, since they run long
/// on the local engine and must neither time out after 10 s nor run twice.
/// </summary>
public sealed class ResilienceVectorStorage : DelegatingVectorStorage
{
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _circuit;
    private readonly TimeSpan _breakDuration;
    private readonly Batch? _batch;
    private readonly Streaming? _streaming;

    public ResilienceVectorStorage(IVectorStorage inner, ResiliencePipeline pipeline, CircuitBreakerStateProvider circuit, TimeSpan breakDuration)
        : base(inner)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _circuit = circuit ?? throw new ArgumentNullException(nameof(circuit));
        _breakDuration = breakDuration;
        _batch = inner.GetService<IBatchVectorStorage>() is { } batch ? new Batch(this, batch) : null;
        _streaming = inner.GetService<IStreamingVectorStorage>() is { } streaming ? new Streaming(this, streaming) : null;
    }

    /// <summary>The breaker's state: Closed, Open, HalfOpen or Isolated.</summary>
    public CircuitState CircuitState => _circuit.CircuitState;

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

    /// <summary>The backend's health, checked once (no retry, no breaker): health must report, not hide, an outage.</summary>
    public override async ValueTask<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        var health = await Inner.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return CircuitState switch
        {
            CircuitState.Closed => health,
            var state => health with
            {
                Status = health.Status == HealthStatus.Unhealthy ? HealthStatus.Unhealthy : HealthStatus.Degraded,
                Description = $"circuit {state}" + (health.Description is null ? string.Empty : "; " + health.Description),
            },
        };
    }

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null)
        {
            if (serviceType == typeof(IBatchVectorStorage))
            {
                return _batch;
            }

            if (serviceType == typeof(IStreamingVectorStorage))
            {
                return _streaming;
            }
        }

        return base.GetService(serviceType, serviceKey);
    }

    private async ValueTask RunAsync<TState>(string operation, IndexName? index, TState state, Func<TState, CancellationToken, ValueTask> call, CancellationToken cancellationToken) =>
        await RunAsync(operation, index, (state, call), static async (s, ct) =>
        {
            await s.call(s.state, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    private async ValueTask<TResult> RunAsync<TState, TResult>(string operation, IndexName? index, TState state, Func<TState, CancellationToken, ValueTask<TResult>> call, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(static (ctx, s) => s.call(s.state, ctx.CancellationToken), context, (state, call)).ConfigureAwait(false);
        }
        catch (BrokenCircuitException broken)
        {
            throw new CircuitOpenException($"Calls to the '{Inner.Capabilities.SystemName}' backend are suspended after repeated failures.", broken)
            {
                RetryAfter = broken.RetryAfter ?? _breakDuration,
                SystemName = Inner.Capabilities.SystemName,
                Index = index?.Value,
                Operation = operation,
            };
        }
        catch (TimeoutRejectedException timeout)
        {
            throw new StorageTimeoutException($"The '{Inner.Capabilities.SystemName}' backend did not finish {operation} in {timeout.Timeout.TotalSeconds:0.###} s.", timeout)
            {
                SystemName = Inner.Capabilities.SystemName,
                Index = index?.Value,
                Operation = operation,
            };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private sealed class Batch(ResilienceVectorStorage owner, IBatchVectorStorage inner) : IBatchVectorStorage
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

    private sealed class Streaming(ResilienceVectorStorage owner, IStreamingVectorStorage inner) : IStreamingVectorStorage
    {
        public ValueTask<RecordPage> ListAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.List, index, (inner, index, request), static (s, ct) => s.inner.ListAsync(s.index, s.request, ct), cancellationToken);

        public IAsyncEnumerable<VectorRecord> ScanAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default) =>
            PagedScan.ScanAsync((page, ct) => ListAsync(index, page, ct), request, cancellationToken);
    }
}
