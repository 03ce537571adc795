using System.Collections.Concurrent;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Decorators.Caching;

/// <summary>
/// The writes of issue 13 and what they mean for cached searches:
/// <list type="bullet">
/// <item>a mixed batch, a compaction and an expiry sweep move the index's generation like any write;</item>
/// <item>an online rebuild swaps the graph later, in the background: starting one moves the generation, and until a
/// status read shows it no longer running, searches of that index bypass the cache (a result computed on the old
/// graph must not be served after the swap);</item>
/// <item>a record written with an expiry must vanish from results when it expires, with no write to move the
/// generation: the decorator remembers every expiry written through it, and the first search at or after one moves
/// the generation before it reads anything. Expiries written before this process started, or by another instance
/// sharing Redis, are not known here: such a record can stay in a cached result until the entry's own TTL.</item>
/// </list>
/// </summary>
public sealed partial class CachingVectorStorage
{
    private readonly TimeProvider _time;
    private readonly RecordOperations? _operations;
    private readonly Maintenance? _maintenance;
    private readonly IOnlineRebuildStorage? _rebuildInner;
    private readonly Rebuild? _rebuild;
    private readonly ConcurrentDictionary<string, byte> _rebuilding = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, SortedSet<DateTimeOffset>> _expiries = new(StringComparer.Ordinal);

    /// <summary>The earliest expiry among <paramref name="records"/>, or null when none expires.</summary>
    internal static DateTimeOffset? EarliestExpiry(IReadOnlyList<VectorRecord>? records)
    {
        DateTimeOffset? earliest = null;
        if (records is null)
        {
            return null;
        }

        foreach (var record in records)
        {
            if (record?.ExpiresAt is { } at && (earliest is null || at < earliest))
            {
                earliest = at;
            }
        }

        return earliest;
    }

    private static List<DateTimeOffset> Expiries(IReadOnlyList<RecordOperation>? operations)
    {
        var found = new List<DateTimeOffset>();
        foreach (var operation in operations ?? [])
        {
            var at = operation?.Kind switch
            {
                RecordOperationKind.Upsert => operation.Record?.ExpiresAt,
                RecordOperationKind.SetExpiry => operation.ExpiresAt,
                _ => null,
            };
            if (at is { } instant)
            {
                found.Add(instant);
            }
        }

        return found;
    }

    private bool TryGetOperationsPort(Type serviceType, out object? port)
    {
        port = serviceType == typeof(IRecordOperationsStorage) ? _operations
            : serviceType == typeof(IIndexMaintenanceStorage) ? _maintenance
            : serviceType == typeof(IOnlineRebuildStorage) ? _rebuild
            : null;
        return port is not null || serviceType == typeof(IRecordOperationsStorage) || serviceType == typeof(IIndexMaintenanceStorage) || serviceType == typeof(IOnlineRebuildStorage);
    }

    private ValueTask<TResult> WriteAsync<TState, TResult>(IndexName index, DateTimeOffset? expiry, TState state, Func<TState, CancellationToken, ValueTask<TResult>> write, CancellationToken cancellationToken) =>
        WriteAsync(index, expiry is { } at ? [at] : [], state, write, cancellationToken);

    private async ValueTask<TResult> WriteAsync<TState, TResult>(IndexName index, IReadOnlyList<DateTimeOffset> expiries, TState state, Func<TState, CancellationToken, ValueTask<TResult>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (expiries.Count > 0)
        {
            // noted before the write, so no search can cache the record before its expiry is known here
            var set = _expiries.GetOrAdd(index.Value, static _ => []);
            lock (set)
            {
                foreach (var at in expiries)
                {
                    set.Add(at);
                }
            }
        }

        return await WriteAsync(index, state, write, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves the generation when an expiry noted for the index has passed, before the search reads it.</summary>
    private async ValueTask AdvanceIfRecordsExpiredAsync(IndexName index)
    {
        if (_expiries.IsEmpty || !_expiries.TryGetValue(index.Value, out var set))
        {
            return;
        }

        var now = _time.GetUtcNow();
        lock (set)
        {
            if (set.Count == 0 || set.Min > now)
            {
                return;
            }
        }

        // advance first, forget after: a search racing this one still sees the passed expiry and advances too
        await AdvanceAsync(index, CancellationToken.None).ConfigureAwait(false);
        lock (set)
        {
            set.RemoveWhere(at => at <= now);
        }
    }

    private async ValueTask<bool> IsRebuildingAsync(IndexName index, CancellationToken cancellationToken)
    {
        if (_rebuilding.IsEmpty || _rebuildInner is null || !_rebuilding.ContainsKey(index.Value))
        {
            return false;
        }

        RebuildStatus status;
        try
        {
            status = await _rebuildInner.GetRebuildStatusAsync(index, cancellationToken).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Without the status the swap may be near: the search goes to the backend uncached.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return true;
        }

        if (status.IsRunning)
        {
            return true;
        }

        if (_rebuilding.TryRemove(index.Value, out _))
        {
            // the swap happened (or the rebuild failed): nothing cached while it ran was cached, but move on to be sure
            await AdvanceAsync(index, CancellationToken.None).ConfigureAwait(false);
        }

        return false;
    }

    private sealed class RecordOperations(CachingVectorStorage owner, IRecordOperationsStorage inner) : IRecordOperationsStorage
    {
        public ValueTask<OperationBatchResult> ApplyAsync(IndexName index, IReadOnlyList<RecordOperation> operations, Namespace ns = default, OperationBatchOptions? options = null, CancellationToken cancellationToken = default) =>
            owner.WriteAsync(index, Expiries(operations), (inner, index, operations, ns, options), static (s, ct) => s.inner.ApplyAsync(s.index, s.operations, s.ns, s.options, ct), cancellationToken);

        public ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, bool includeDeleted, Namespace ns = default, CancellationToken cancellationToken = default) =>
            inner.GetManyAsync(index, ids, includeDeleted, ns, cancellationToken);
    }

    private sealed class Maintenance(CachingVectorStorage owner, IIndexMaintenanceStorage inner) : IIndexMaintenanceStorage
    {
        public ValueTask<CompactionResult> CompactAsync(IndexName index, CancellationToken cancellationToken = default) =>
            owner.WriteAsync(index, (inner, index), static (s, ct) => s.inner.CompactAsync(s.index, ct), cancellationToken);

        public ValueTask<long> SweepExpiredAsync(IndexName index, CancellationToken cancellationToken = default) =>
            owner.WriteAsync(index, (inner, index), static (s, ct) => s.inner.SweepExpiredAsync(s.index, ct), cancellationToken);
    }

    private sealed class Rebuild(CachingVectorStorage owner, IOnlineRebuildStorage inner) : IOnlineRebuildStorage
    {
        public ValueTask<RebuildStatus> StartRebuildAsync(IndexName index, HnswOptions? hnsw, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(index);
            // marked before it starts: a search from now on bypasses the cache until the status says it is over
            owner._rebuilding[index.Value] = 0;
            return owner.WriteAsync(index, (inner, index, hnsw), static (s, ct) => s.inner.StartRebuildAsync(s.index, s.hnsw, ct), cancellationToken);
        }

        public ValueTask<RebuildStatus> GetRebuildStatusAsync(IndexName index, CancellationToken cancellationToken = default) =>
            inner.GetRebuildStatusAsync(index, cancellationToken);
    }
}
