using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Decorators.Telemetry;

namespace Theodore.Infrastructure.Decorators.Caching;

/// <summary>
/// Search results (by vector and by id) in <see cref="SearchCache"/>, keyed by the exact request and the index's
/// generation. Every write through the stack — single, batch, delete by filter, index lifecycle, restore — moves the
/// index to a new generation after the backend acknowledged it (or failed: a failed write may have half happened) and
/// before the caller hears back, so a search that starts afterwards never sees a result computed before it (ADR 0009).
/// Reads other than search pass through. Provides <see cref="ICacheableVectorStorage"/>. Mixed batches, compaction,
/// the expiry sweep and online rebuilds are writes too (see the Operations part, which also keeps expired records
/// out of cached results).
/// </summary>
public sealed partial class CachingVectorStorage : DelegatingVectorStorage, ICacheableVectorStorage
{
    private readonly SearchCache _cache;
    private readonly StorageInstrumentation? _instrumentation;
    private readonly Batch? _batch;
    private readonly Backups? _backups;
    private long _hits;
    private long _misses;
    private long _invalidations;

    public CachingVectorStorage(IVectorStorage inner, SearchCache cache, StorageInstrumentation? instrumentation = null, TimeProvider? time = null)
        : base(inner)
    {
        _cache = cache ?? throw new ArgumentNullException(nameof(cache));
        _instrumentation = instrumentation;
        _time = time ?? TimeProvider.System;
        _batch = inner.GetService<IBatchVectorStorage>() is { } batch ? new Batch(this, batch) : null;
        _backups = inner.GetService<IBackupStorage>() is { } backups ? new Backups(this, backups) : null;
        _operations = inner.GetService<IRecordOperationsStorage>() is { } operations ? new RecordOperations(this, operations) : null;
        _maintenance = inner.GetService<IIndexMaintenanceStorage>() is { } maintenance ? new Maintenance(this, maintenance) : null;
        _rebuildInner = inner.GetService<IOnlineRebuildStorage>();
        _rebuild = _rebuildInner is null ? null : new Rebuild(this, _rebuildInner);
    }

    public override ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        return CachedAsync(index, SearchKey.ForVector(index, vector.Span, options), (Inner, index, vector, options), static (s, ct) => s.Inner.SearchAsync(s.index, s.vector, s.options, ct), cancellationToken);
    }

    public override ValueTask<SearchResult> SearchByIdAsync(IndexName index, VectorId id, SearchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(options);
        return CachedAsync(index, SearchKey.ForId(index, id, options), (Inner, index, id, options), static (s, ct) => s.Inner.SearchByIdAsync(s.index, s.id, s.options, ct), cancellationToken);
    }

    public override ValueTask<IndexInfo> CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return WriteAsync(definition.Name, (Inner, definition), static (s, ct) => s.Inner.CreateIndexAsync(s.definition, ct), cancellationToken);
    }

    public override async ValueTask DeleteIndexAsync(IndexName index, CancellationToken cancellationToken = default) =>
        await WriteAsync(index, (Inner, index), static async (s, ct) =>
        {
            await s.Inner.DeleteIndexAsync(s.index, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);

    public override async ValueTask UpsertAsync(IndexName index, VectorRecord record, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        await WriteAsync(index, record.ExpiresAt, (Inner, index, record, ns), static async (s, ct) =>
        {
            await s.Inner.UpsertAsync(s.index, s.record, s.ns, ct).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    public override ValueTask<bool> DeleteAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default) =>
        WriteAsync(index, (Inner, index, id, ns), static (s, ct) => s.Inner.DeleteAsync(s.index, s.id, s.ns, ct), cancellationToken);

    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is null && serviceType == typeof(IBatchVectorStorage))
        {
            return _batch;
        }

        if (serviceKey is null && serviceType == typeof(IBackupStorage))
        {
            return _backups;
        }

        if (serviceKey is null && TryGetOperationsPort(serviceType, out var port))
        {
            return port;
        }

        return base.GetService(serviceType, serviceKey);
    }

    public async ValueTask InvalidateAsync(IndexName? index = null, CancellationToken cancellationToken = default)
    {
        if (index is not null)
        {
            await AdvanceAsync(index, cancellationToken).ConfigureAwait(false);
            return;
        }

        foreach (var info in await Inner.ListIndexesAsync(cancellationToken).ConfigureAwait(false))
        {
            await AdvanceAsync(info.Name, cancellationToken).ConfigureAwait(false);
        }
    }

    public CacheStatistics GetStatistics() =>
        new(Interlocked.Read(ref _hits), Interlocked.Read(ref _misses), _cache.Entries, Interlocked.Read(ref _invalidations))
        {
            Evictions = _cache.Evictions,
            Bytes = _cache.Bytes,
        };

    private async ValueTask<SearchResult> CachedAsync<TState>(IndexName index, byte[] request, TState state, Func<TState, CancellationToken, ValueTask<SearchResult>> search, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await AdvanceIfRecordsExpiredAsync(index).ConfigureAwait(false);
        if (await IsRebuildingAsync(index, cancellationToken).ConfigureAwait(false))
        {
            // the graph is about to be swapped: a result computed now must not outlive the swap, so it is not cached
            Count(index, hit: false);
            return await search(state, cancellationToken).ConfigureAwait(false);
        }

        string generation;
        try
        {
            generation = await _cache.Generations.CurrentAsync(index, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Without the generation nothing cached can be trusted; the search goes to the backend uncached.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            Log.GenerationUnavailable(_cache.Logger, index.Value, exception);
            Count(index, hit: false);
            return await search(state, cancellationToken).ConfigureAwait(false);
        }

        var computed = new StrongBox<bool>();
        var entry = await _cache.Cache.GetOrCreateAsync(
            SearchKey.CacheKey(index, generation, request),
            (state, search, request, computed),
            static async (s, ct) =>
            {
                s.computed.Value = true;
                return new CachedSearch(s.request, await s.search(s.state, ct).ConfigureAwait(false));
            },
            cancellationToken: cancellationToken).ConfigureAwait(false);

        if (!computed.Value && !entry.Request.AsSpan().SequenceEqual(request))
        {
            // two requests with one SHA-256: never answer one with the other's result
            Count(index, hit: false);
            return await search(state, cancellationToken).ConfigureAwait(false);
        }

        Count(index, hit: !computed.Value);
        return computed.Value ? entry.Result : entry.Result with { Took = Stopwatch.GetElapsedTime(started) };
    }

    private async ValueTask<TResult> WriteAsync<TState, TResult>(IndexName index, TState state, Func<TState, CancellationToken, ValueTask<TResult>> write, CancellationToken cancellationToken)
    {
        try
        {
            return await write(state, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // not cancellable: once the backend may have the write, the generation must move before anyone hears back
            await AdvanceAsync(index, CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async ValueTask AdvanceAsync(IndexName index, CancellationToken cancellationToken)
    {
        try
        {
            await _cache.Generations.AdvanceAsync(index, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not (OperationCanceledException or VectorStorageException))
        {
            throw new StorageUnavailableException($"The write to '{index.Value}' may have been applied, but the search cache could not be invalidated; retry the write.", exception)
            {
                SystemName = Inner.Capabilities.SystemName,
                Index = index.Value,
                Operation = "invalidate_cache",
            };
        }

        Interlocked.Increment(ref _invalidations);
    }

    private void Count(IndexName index, bool hit)
    {
        Interlocked.Increment(ref hit ? ref _hits : ref _misses);
        if (_instrumentation is not null)
        {
            var tag = new KeyValuePair<string, object?>(SemanticConventions.CollectionName, index.Value);
            (hit ? _instrumentation.CacheHits : _instrumentation.CacheMisses).Add(1, tag);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The search cache could not read the generation of '{Index}'; the search goes to the backend uncached.")]
        public static partial void GenerationUnavailable(ILogger logger, string index, Exception exception);
    }

    private sealed class Batch(CachingVectorStorage owner, IBatchVectorStorage inner) : IBatchVectorStorage
    {
        public ValueTask<BatchResult> UpsertManyAsync(IndexName index, IReadOnlyList<VectorRecord> records, Namespace ns = default, BatchOptions? options = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default) =>
            owner.WriteAsync(index, CachingVectorStorage.EarliestExpiry(records), (inner, index, records, ns, options, progress), static (s, ct) => s.inner.UpsertManyAsync(s.index, s.records, s.ns, s.options, s.progress, ct), cancellationToken);

        public ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default) =>
            inner.GetManyAsync(index, ids, ns, cancellationToken);

        public ValueTask<BatchResult> DeleteManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.WriteAsync(index, (inner, index, ids, ns), static (s, ct) => s.inner.DeleteManyAsync(s.index, s.ids, s.ns, ct), cancellationToken);

        public ValueTask<long> DeleteByFilterAsync(IndexName index, FilterExpression filter, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.WriteAsync(index, (inner, index, filter, ns), static (s, ct) => s.inner.DeleteByFilterAsync(s.index, s.filter, s.ns, ct), cancellationToken);

        public ValueTask<long> DeleteAllAsync(IndexName index, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.WriteAsync(index, (inner, index, ns), static (s, ct) => s.inner.DeleteAllAsync(s.index, s.ns, ct), cancellationToken);
    }

    private sealed class Backups(CachingVectorStorage owner, IBackupStorage inner) : IBackupStorage
    {
        public ValueTask<BackupInfo> CreateBackupAsync(IReadOnlyList<IndexName>? indexes, CancellationToken cancellationToken = default) => inner.CreateBackupAsync(indexes, cancellationToken);

        public ValueTask<IReadOnlyList<BackupInfo>> ListBackupsAsync(CancellationToken cancellationToken = default) => inner.ListBackupsAsync(cancellationToken);

        public ValueTask<BackupInfo> GetBackupAsync(BackupId backup, CancellationToken cancellationToken = default) => inner.GetBackupAsync(backup, cancellationToken);

        public ValueTask<bool> DeleteBackupAsync(BackupId backup, CancellationToken cancellationToken = default) => inner.DeleteBackupAsync(backup, cancellationToken);

        /// <summary>A restore replaces the target index's records, so it is a write to that index.</summary>
        public ValueTask<RestoredIndex> RestoreBackupAsync(BackupId backup, IndexName index, IndexName? target, bool replace, CancellationToken cancellationToken = default) =>
            owner.WriteAsync(target ?? index, (inner, backup, index, target, replace), static (s, ct) => s.inner.RestoreBackupAsync(s.backup, s.index, s.target, s.replace, ct), cancellationToken);

        public ValueTask<BackupPruneResult> PruneBackupsAsync(BackupRetention retention, CancellationToken cancellationToken = default) => inner.PruneBackupsAsync(retention, cancellationToken);
    }
}
