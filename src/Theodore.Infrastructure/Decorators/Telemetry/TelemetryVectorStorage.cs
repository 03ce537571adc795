using System.Diagnostics;
using System.Runtime.CompilerServices;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Decorators.Telemetry;

/// <summary>
/// A client span and the operation metrics for every call, outermost in the stack so both measure what the caller
/// saw (the wait for a slot, a cache hit, every retry). Covers the batch, streaming (one span per scan) and backup
/// ports; backups also feed the backup metrics. Keeps the vectors-per-index gauge fresh from the results that pass
/// and, when scraped, from a background listing at most every <see cref="TelemetryOptions.GaugeRefreshInterval"/>.
/// The record-operations, maintenance and rebuild ports are traced too (see the Operations part).
/// </summary>
public sealed partial class TelemetryVectorStorage : DelegatingVectorStorage
{
    private readonly StorageInstrumentation _instrumentation;
    private readonly TimeSpan _refreshInterval;
    private readonly string _system;
    private readonly Batch? _batch;
    private readonly Streaming? _streaming;
    private readonly Backups? _backups;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string, string), string> _spanNames = new();
    private long _lastRefreshTimestamp;
    private int _refreshing;

    public TelemetryVectorStorage(IVectorStorage inner, StorageInstrumentation instrumentation, TelemetryOptions? options = null)
        : base(inner)
    {
        _instrumentation = instrumentation ?? throw new ArgumentNullException(nameof(instrumentation));
        _refreshInterval = (options ?? new TelemetryOptions()).GaugeRefreshInterval;
        _system = inner.Capabilities.SystemName;
        _batch = inner.GetService<IBatchVectorStorage>() is { } batch ? new Batch(this, batch) : null;
        _streaming = inner.GetService<IStreamingVectorStorage>() is { } streaming ? new Streaming(this, streaming) : null;
        _backups = inner.GetService<IBackupStorage>() is { } backups ? new Backups(this, backups) : null;
        _operations = inner.GetService<IRecordOperationsStorage>() is { } operations ? new RecordOperations(this, operations) : null;
        _maintenance = inner.GetService<IIndexMaintenanceStorage>() is { } maintenance ? new Maintenance(this, maintenance) : null;
        _rebuild = inner.GetService<IOnlineRebuildStorage>() is { } rebuild ? new Rebuild(this, rebuild) : null;
        _lastRefreshTimestamp = instrumentation.Time.GetTimestamp() - (long)(_refreshInterval.TotalSeconds * instrumentation.Time.TimestampFrequency) - 1;
        instrumentation.BeforeObserve = RefreshGaugesInBackground;
    }

    public override async ValueTask<IndexInfo> CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var info = await TraceAsync(new(StorageOperations.CreateIndex, definition.Name), (Inner, definition), static (s, ct) => s.Inner.CreateIndexAsync(s.definition, ct), null, cancellationToken).ConfigureAwait(false);
        _instrumentation.SetVectors(info.Name.Value, info.VectorCount);
        return info;
    }

    public override async ValueTask<IndexInfo> DescribeIndexAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        var info = await TraceAsync(new(StorageOperations.DescribeIndex, index), (Inner, index), static (s, ct) => s.Inner.DescribeIndexAsync(s.index, ct), null, cancellationToken).ConfigureAwait(false);
        _instrumentation.SetVectors(info.Name.Value, info.VectorCount);
        return info;
    }

    public override async ValueTask<IReadOnlyList<IndexInfo>> ListIndexesAsync(CancellationToken cancellationToken = default)
    {
        var list = await TraceAsync(new(StorageOperations.ListIndexes, null), Inner, static (inner, ct) => inner.ListIndexesAsync(ct), static r => r.Count, cancellationToken).ConfigureAwait(false);
        _instrumentation.SetAllVectors(list.Select(static i => KeyValuePair.Create(i.Name.Value, i.VectorCount)));
        return list;
    }

    public override async ValueTask DeleteIndexAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        await TraceAsync(new(StorageOperations.DeleteIndex, index), (Inner, index), static async (s, ct) =>
        {
            await s.Inner.DeleteIndexAsync(s.index, ct).ConfigureAwait(false);
            return true;
        }, null, cancellationToken).ConfigureAwait(false);
        _instrumentation.RemoveIndex(index.Value);
    }

    public override async ValueTask UpsertAsync(IndexName index, VectorRecord record, Namespace ns = default, CancellationToken cancellationToken = default) =>
        await TraceAsync(new(StorageOperations.Upsert, index, ns), (Inner, index, record, ns), static async (s, ct) =>
        {
            await s.Inner.UpsertAsync(s.index, s.record, s.ns, ct).ConfigureAwait(false);
            return true;
        }, null, cancellationToken).ConfigureAwait(false);

    public override ValueTask<VectorRecord?> GetAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default) =>
        TraceAsync(new(StorageOperations.Get, index, ns), (Inner, index, id, ns), static (s, ct) => s.Inner.GetAsync(s.index, s.id, s.ns, ct), static r => r is null ? 0 : 1, cancellationToken);

    public override ValueTask<bool> DeleteAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default) =>
        TraceAsync(new(StorageOperations.Delete, index, ns), (Inner, index, id, ns), static (s, ct) => s.Inner.DeleteAsync(s.index, s.id, s.ns, ct), static r => r ? 1 : 0, cancellationToken);

    public override ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TraceAsync(new(StorageOperations.Search, index, options.Namespace, options.TopK), (Inner, index, vector, options), static (s, ct) => s.Inner.SearchAsync(s.index, s.vector, s.options, ct), static r => r.Matches.Count, cancellationToken);
    }

    public override ValueTask<SearchResult> SearchByIdAsync(IndexName index, VectorId id, SearchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TraceAsync(new(StorageOperations.SearchById, index, options.Namespace, options.TopK), (Inner, index, id, options), static (s, ct) => s.Inner.SearchByIdAsync(s.index, s.id, s.options, ct), static r => r.Matches.Count, cancellationToken);
    }

    public override async ValueTask<IndexStats> GetStatsAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        var stats = await TraceAsync(new(StorageOperations.GetStats, index), (Inner, index), static (s, ct) => s.Inner.GetStatsAsync(s.index, ct), null, cancellationToken).ConfigureAwait(false);
        _instrumentation.SetVectors(index.Value, stats.TotalVectors);
        return stats;
    }

    public override ValueTask<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        TraceAsync(new(StorageOperations.CheckHealth, null), Inner, static (inner, ct) => inner.CheckHealthAsync(ct), null, cancellationToken);

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

            if (serviceType == typeof(IBackupStorage))
            {
                return _backups;
            }

            if (TryGetOperationsPort(serviceType, out var port))
            {
                return port;
            }
        }

        return base.GetService(serviceType, serviceKey);
    }

    /// <summary>The error.type of a failure: Theodore's error code, else the exception's type.</summary>
    internal static string ErrorType(Exception exception) => exception switch
    {
        VectorStorageException storage => storage.Code,
        OperationCanceledException => "cancelled",
        _ => exception.GetType().FullName ?? exception.GetType().Name,
    };

    private async ValueTask<TResult> TraceAsync<TState, TResult>(Operation operation, TState state, Func<TState, CancellationToken, ValueTask<TResult>> call, Func<TResult, long>? rows, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var activity = StorageInstrumentation.ActivitySource.HasListeners() ? Start(operation) : null;
        try
        {
            var result = await call(state, cancellationToken).ConfigureAwait(false);
            long? count = rows is null ? null : rows(result);
            if (count is { } n)
            {
                activity?.SetTag(SemanticConventions.ReturnedRows, n);
            }

            Record(operation, started, null, count);
            return result;
        }
        catch (Exception exception)
        {
            var errorType = ErrorType(exception);
            if (activity is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, exception.Message);
                activity.SetTag(SemanticConventions.ErrorType, errorType);
                activity.AddException(exception);
            }

            Record(operation, started, errorType, null);
            throw;
        }
    }

    private Activity? Start(Operation operation)
    {
        var name = operation.Index is null ? operation.Name : _spanNames.GetOrAdd((operation.Name, operation.Index.Value), static key => key.Item1 + " " + key.Item2);
        var activity = StorageInstrumentation.ActivitySource.StartActivity(name, ActivityKind.Client);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(SemanticConventions.SystemName, _system);
            activity.SetTag(SemanticConventions.OperationName, operation.Name);
            if (operation.Index is not null)
            {
                activity.SetTag(SemanticConventions.CollectionName, operation.Index.Value);
            }

            if (operation.Namespace is { IsDefault: false } ns)
            {
                activity.SetTag(SemanticConventions.Namespace, ns.Value);
            }

            if (operation.TopK is { } topK)
            {
                activity.SetTag(SemanticConventions.TopK, topK);
            }

            if (operation.BatchSize is { } size)
            {
                activity.SetTag(SemanticConventions.BatchSize, size);
            }
        }

        return activity;
    }

    private void Record(Operation operation, long started, string? errorType, long? rows)
    {
        var tags = new TagList
        {
            { SemanticConventions.SystemName, _system },
            { SemanticConventions.OperationName, operation.Name },
        };
        if (operation.Index is not null)
        {
            tags.Add(SemanticConventions.CollectionName, operation.Index.Value);
        }

        if (errorType is not null)
        {
            tags.Add(SemanticConventions.ErrorType, errorType);
        }

        _instrumentation.OperationDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, tags);
        _instrumentation.Operations.Add(1, tags);
        if (errorType is not null)
        {
            _instrumentation.Errors.Add(1, tags);
        }
        else if (rows is { } n)
        {
            _instrumentation.ReturnedRows.Record(n, tags);
        }
    }

    private void RefreshGaugesInBackground()
    {
        var time = _instrumentation.Time;
        if (time.GetElapsedTime(Interlocked.Read(ref _lastRefreshTimestamp)) < _refreshInterval || Interlocked.Exchange(ref _refreshing, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                var indexes = await Inner.ListIndexesAsync().ConfigureAwait(false);
                _instrumentation.SetAllVectors(indexes.Select(static i => KeyValuePair.Create(i.Name.Value, i.VectorCount)));
                if (_instrumentation.LastBackup is null && Inner.GetService<IBackupStorage>() is { } backups)
                {
                    var newest = (await backups.ListBackupsAsync().ConfigureAwait(false)).Where(static b => b.IsIntact).Select(static b => (DateTimeOffset?)b.CreatedAt).Max();
                    if (newest is { } at)
                    {
                        _instrumentation.BackupCompleted(at);
                    }
                }
            }
#pragma warning disable CA1031 // A gauge refresh that fails (backend down, not open yet) keeps the last values; the next scrape tries again.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
            finally
            {
                Interlocked.Exchange(ref _lastRefreshTimestamp, time.GetTimestamp());
                Volatile.Write(ref _refreshing, 0);
            }
        });
    }

    private readonly record struct Operation(string Name, IndexName? Index, Namespace? Namespace = null, int? TopK = null, int? BatchSize = null);

    private sealed class Batch(TelemetryVectorStorage owner, IBatchVectorStorage inner) : IBatchVectorStorage
    {
        public ValueTask<BatchResult> UpsertManyAsync(IndexName index, IReadOnlyList<VectorRecord> records, Namespace ns = default, BatchOptions? options = null, IProgress<BatchProgress>? progress = null, CancellationToken cancellationToken = default) =>
            owner.TraceAsync(new(StorageOperations.UpsertMany, index, ns, BatchSize: records?.Count), (inner, index, records!, ns, options, progress), static (s, ct) => s.inner.UpsertManyAsync(s.index, s.Item3, s.ns, s.options, s.progress, ct), static r => r.Succeeded, cancellationToken);

        public ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.TraceAsync(new(StorageOperations.GetMany, index, ns, BatchSize: ids?.Count), (inner, index, ids!, ns), static (s, ct) => s.inner.GetManyAsync(s.index, s.Item3, s.ns, ct), static r => r.Count, cancellationToken);

        public ValueTask<BatchResult> DeleteManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.TraceAsync(new(StorageOperations.DeleteMany, index, ns, BatchSize: ids?.Count), (inner, index, ids!, ns), static (s, ct) => s.inner.DeleteManyAsync(s.index, s.Item3, s.ns, ct), static r => r.Succeeded, cancellationToken);

        public ValueTask<long> DeleteByFilterAsync(IndexName index, FilterExpression filter, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.TraceAsync(new(StorageOperations.DeleteByFilter, index, ns), (inner, index, filter, ns), static (s, ct) => s.inner.DeleteByFilterAsync(s.index, s.filter, s.ns, ct), static r => r, cancellationToken);

        public ValueTask<long> DeleteAllAsync(IndexName index, Namespace ns = default, CancellationToken cancellationToken = default) =>
            owner.TraceAsync(new(StorageOperations.DeleteAll, index, ns), (inner, index, ns), static (s, ct) => s.inner.DeleteAllAsync(s.index, s.ns, ct), static r => r, cancellationToken);
    }

    private sealed class Streaming(TelemetryVectorStorage owner, IStreamingVectorStorage inner) : IStreamingVectorStorage
    {
        public ValueTask<RecordPage> ListAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(request);
            return owner.TraceAsync(new(StorageOperations.List, index, request.Namespace), (inner, index, request), static (s, ct) => s.inner.ListAsync(s.index, s.request, ct), static r => r.Records.Count, cancellationToken);
        }

        /// <summary>One span from the first record asked for to the last one read (or the error).</summary>
        public async IAsyncEnumerable<VectorRecord> ScanAsync(IndexName index, ListRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(request);
            var operation = new Operation(StorageOperations.Scan, index, request.Namespace);
            var started = Stopwatch.GetTimestamp();
            using var activity = StorageInstrumentation.ActivitySource.HasListeners() ? owner.Start(operation) : null;
            long count = 0;
            var records = inner.ScanAsync(index, request, cancellationToken).GetAsyncEnumerator(cancellationToken);
            await using (records.ConfigureAwait(false))
            {
                while (true)
                {
                    try
                    {
                        if (!await records.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (Exception exception)
                    {
                        activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                        activity?.SetTag(SemanticConventions.ErrorType, ErrorType(exception));
                        owner.Record(operation, started, ErrorType(exception), null);
                        throw;
                    }

                    count++;
                    yield return records.Current;
                }
            }

            activity?.SetTag(SemanticConventions.ReturnedRows, count);
            owner.Record(operation, started, null, count);
        }
    }

    private sealed class Backups(TelemetryVectorStorage owner, IBackupStorage inner) : IBackupStorage
    {
        public async ValueTask<BackupInfo> CreateBackupAsync(IReadOnlyList<IndexName>? indexes, CancellationToken cancellationToken = default)
        {
            var instrumentation = owner._instrumentation;
            var started = Stopwatch.GetTimestamp();
            try
            {
                var backup = await owner.TraceAsync(new(StorageOperations.CreateBackup, null), (inner, indexes), static (s, ct) => s.inner.CreateBackupAsync(s.indexes, ct), static r => r.Indexes.Count, cancellationToken).ConfigureAwait(false);
                instrumentation.BackupSuccesses.Add(1);
                instrumentation.BackupSize.Record(backup.TotalBytes);
                instrumentation.BackupCompleted(backup.CreatedAt);
                return backup;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                instrumentation.BackupFailures.Add(1, new KeyValuePair<string, object?>(SemanticConventions.ErrorType, ErrorType(exception)));
                throw;
            }
            finally
            {
                instrumentation.BackupDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
            }
        }

        public ValueTask<IReadOnlyList<BackupInfo>> ListBackupsAsync(CancellationToken cancellationToken = default) => inner.ListBackupsAsync(cancellationToken);

        public ValueTask<BackupInfo> GetBackupAsync(BackupId backup, CancellationToken cancellationToken = default) => inner.GetBackupAsync(backup, cancellationToken);

        public ValueTask<bool> DeleteBackupAsync(BackupId backup, CancellationToken cancellationToken = default) => inner.DeleteBackupAsync(backup, cancellationToken);

        public ValueTask<RestoredIndex> RestoreBackupAsync(BackupId backup, IndexName index, IndexName? target, bool replace, CancellationToken cancellationToken = default) =>
            owner.TraceAsync(new(StorageOperations.RestoreBackup, target ?? index), (inner, backup, index, target, replace), static (s, ct) => s.inner.RestoreBackupAsync(s.backup, s.index, s.target, s.replace, ct), null, cancellationToken);

        public ValueTask<BackupPruneResult> PruneBackupsAsync(BackupRetention retention, CancellationToken cancellationToken = default) => inner.PruneBackupsAsync(retention, cancellationToken);
    }
}
