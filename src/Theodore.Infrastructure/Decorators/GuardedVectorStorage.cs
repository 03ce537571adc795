using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Decorators;

/// <summary>
/// A decorator that runs every backend call through one guard (<see cref="RunAsync{TState, TResult}"/>): the storage
/// port's operations, and the batch and streaming ports when the layer below has them (a scan runs page by page, so
/// each page is guarded on its own), and the record-operations, maintenance and rebuild ports (see the Operations
/// part). Health and capabilities pass by unguarded.
/// </summary>
public abstract partial class GuardedVectorStorage : DelegatingVectorStorage
{
    private readonly Batch? _batch;
    private readonly Streaming? _streaming;

    protected GuardedVectorStorage(IVectorStorage inner)
        : base(inner)
    {
        _batch = inner.GetService<IBatchVectorStorage>() is { } batch ? new Batch(this, batch) : null;
        _streaming = inner.GetService<IStreamingVectorStorage>() is { } streaming ? new Streaming(this, streaming) : null;
        _operations = inner.GetService<IRecordOperationsStorage>() is { } operations ? new RecordOperations(this, operations) : null;
        _maintenance = inner.GetService<IIndexMaintenanceStorage>() is { } maintenance ? new Maintenance(this, maintenance) : null;
        _rebuild = inner.GetService<IOnlineRebuildStorage>() is { } rebuild ? new Rebuild(this, rebuild) : null;
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

        if (serviceKey is null && TryGetOperationsPort(serviceType, out var port))
        {
            return port;
        }

        return base.GetService(serviceType, serviceKey);
    }

    /// <summary>Runs one backend call, named by a <see cref="StorageOperations"/> constant, under this decorator's guard.</summary>
    protected abstract ValueTask<TResult> RunAsync<TState, TResult>(string operation, IndexName? index, TState state, Func<TState, CancellationToken, ValueTask<TResult>> backendCall, CancellationToken cancellationToken);

    private async ValueTask RunAsync<TState>(string operation, IndexName? index, TState state, Func<TState, CancellationToken, ValueTask> call, CancellationToken cancellationToken) =>
        await RunAsync(operation, index, (state, call), static async (s, ct) =>
        {
            await s.call(s.state, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    private sealed class Batch(GuardedVectorStorage owner, IBatchVectorStorage inner) : IBatchVectorStorage
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

    private sealed class Streaming(GuardedVectorStorage owner, IStreamingVectorStorage inner) : IStreamingVectorStorage
    {
        public ValueTask<RecordPage> ListAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default) =>
            owner.RunAsync(StorageOperations.List, index, (inner, index, request), static (s, ct) => s.inner.ListAsync(s.index, s.request, ct), cancellationToken);

        public IAsyncEnumerable<VectorRecord> ScanAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default) =>
            PagedScan.ScanAsync((page, ct) => ListAsync(index, page, ct), request, cancellationToken);
    }
}
