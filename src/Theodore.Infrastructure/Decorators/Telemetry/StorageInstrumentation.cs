using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Theodore.Infrastructure.Decorators.Telemetry;

/// <summary>
/// The one <see cref="ActivitySource"/> and the one <see cref="Meter"/>, both named <see cref="Name"/>, and every
/// instrument on it: OpenTelemetry's database client conventions where they have a name, <c>theodore.*</c> otherwise.
/// The telemetry decorator records operations and backups; the cache records its hits and misses here too.
/// </summary>
public sealed class StorageInstrumentation : IDisposable
{
    public const string Name = "Theodore.VectorStorage";

    /// <summary>The source of every storage span; static because listeners find sources by name.</summary>
    public static readonly ActivitySource ActivitySource = new(Name, typeof(StorageInstrumentation).Assembly.GetName().Version?.ToString());

    private static readonly double[] DurationBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly bool _ownsMeter;
    private readonly ConcurrentDictionary<string, long> _vectors = new(StringComparer.Ordinal);
    private long _lastBackupUnixMs = long.MinValue;

    public StorageInstrumentation(IMeterFactory? meterFactory = null, TimeProvider? time = null)
    {
        Time = time ?? TimeProvider.System;
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(Name) ?? new Meter(Name);

        OperationDuration = Meter.CreateHistogram<double>("db.client.operation.duration", "s", "Duration of vector storage operations as the caller saw them.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        Operations = Meter.CreateCounter<long>("theodore.storage.operations", "{operation}", "Vector storage operations, by operation and outcome.");
        Errors = Meter.CreateCounter<long>("theodore.storage.errors", "{error}", "Failed vector storage operations, by error.type.");
        ReturnedRows = Meter.CreateHistogram<long>("db.client.response.returned_rows", "{row}", "Matches or records an operation returned.");
        CacheHits = Meter.CreateCounter<long>("theodore.cache.hits", "{hit}", "Searches answered from the cache.");
        CacheMisses = Meter.CreateCounter<long>("theodore.cache.misses", "{miss}", "Searches the cache passed to the backend.");
        RecordOperations = Meter.CreateCounter<long>("theodore.storage.record_operations", "{operation}", "Operations of mixed batches, by kind (db.operation.name) and outcome (error.type when refused).");
        SweptRecords = Meter.CreateCounter<long>("theodore.storage.swept", "{record}", "Expired records deleted by the expiry sweep.");
        CompactedRecords = Meter.CreateCounter<long>("theodore.storage.compacted", "{record}", "Soft-deleted and expired records purged by compaction.");
        BackupDuration = Meter.CreateHistogram<double>("theodore.backup.duration", "s", "Duration of backups.");
        BackupSuccesses = Meter.CreateCounter<long>("theodore.backup.successes", "{backup}", "Backups that completed.");
        BackupFailures = Meter.CreateCounter<long>("theodore.backup.failures", "{backup}", "Backups that failed.");
        BackupSize = Meter.CreateHistogram<long>("theodore.backup.size", "By", "Bytes written by each completed backup.");
        Meter.CreateObservableGauge("theodore.storage.vectors", ObserveVectors, "{vector}", "Vectors stored per index (refreshed in the background).");
        Meter.CreateObservableGauge("theodore.backup.last_success", ObserveLastBackup, "s", "Unix time of the last completed backup.");
        Meter.CreateObservableGauge("theodore.backup.age", ObserveBackupAge, "s", "Seconds since the last completed backup.");
    }

    public Meter Meter { get; }

    public TimeProvider Time { get; }

    public Histogram<double> OperationDuration { get; }

    public Counter<long> Operations { get; }

    public Counter<long> Errors { get; }

    public Histogram<long> ReturnedRows { get; }

    public Counter<long> CacheHits { get; }

    public Counter<long> CacheMisses { get; }

    public Counter<long> RecordOperations { get; }

    public Counter<long> SweptRecords { get; }

    public Counter<long> CompactedRecords { get; }

    public Histogram<double> BackupDuration { get; }

    public Counter<long> BackupSuccesses { get; }

    public Counter<long> BackupFailures { get; }

    public Histogram<long> BackupSize { get; }

    /// <summary>Called before the gauges are read, so a scrape can start refreshing them; set by the telemetry decorator.</summary>
    internal Action? BeforeObserve { get; set; }

    /// <summary>The newest known vector count of an index.</summary>
    public void SetVectors(string index, long count) => _vectors[index] = count;

    public void RemoveIndex(string index) => _vectors.TryRemove(index, out _);

    /// <summary>Replaces every known count, dropping indexes that are gone.</summary>
    public void SetAllVectors(IEnumerable<KeyValuePair<string, long>> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (index, count) in counts)
        {
            _vectors[index] = count;
            seen.Add(index);
        }

        foreach (var index in _vectors.Keys)
        {
            if (!seen.Contains(index))
            {
                _vectors.TryRemove(index, out _);
            }
        }
    }

    /// <summary>Records a completed backup's time if it is the newest known.</summary>
    public void BackupCompleted(DateTimeOffset at)
    {
        var ms = at.ToUnixTimeMilliseconds();
        long seen;
        while (ms > (seen = Interlocked.Read(ref _lastBackupUnixMs)) && Interlocked.CompareExchange(ref _lastBackupUnixMs, ms, seen) != seen)
        {
        }
    }

    public DateTimeOffset? LastBackup => Interlocked.Read(ref _lastBackupUnixMs) is var ms && ms == long.MinValue ? null : DateTimeOffset.FromUnixTimeMilliseconds(ms);

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private IEnumerable<Measurement<long>> ObserveVectors()
    {
        BeforeObserve?.Invoke();
        return _vectors.Select(static kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>(SemanticConventions.CollectionName, kv.Key))).ToArray();
    }

    private IEnumerable<Measurement<double>> ObserveLastBackup() =>
        LastBackup is { } last ? [new Measurement<double>(last.ToUnixTimeMilliseconds() / 1000.0)] : [];

    private IEnumerable<Measurement<double>> ObserveBackupAge()
    {
        BeforeObserve?.Invoke();
        return LastBackup is { } last ? [new Measurement<double>((Time.GetUtcNow() - last).TotalSeconds)] : [];
    }
}
