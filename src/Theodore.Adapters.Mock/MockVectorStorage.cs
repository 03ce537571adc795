using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Options;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Mock;

/// <summary>
/// Exact brute-force storage in memory: the unit-test double, the recall oracle and the reference for the semantics of
/// mixed batches, soft delete and TTL (<see cref="IRecordOperationsStorage"/>, <see cref="IIndexMaintenanceStorage"/>).
/// Every call is logged in <see cref="Calls"/>, delayed by <see cref="MockOptions.LatencyMs"/> and failed at
/// <see cref="MockOptions.ErrorRate"/> with seeded dice, so a run with the same calls behaves the same. Expiry is
/// judged on the injected <see cref="TimeProvider"/> at every read: a record whose <see cref="VectorRecord.ExpiresAt"/>
/// is at or before now is invisible everywhere until the sweep or a compaction removes it.
/// </summary>
public sealed partial class MockVectorStorage : IVectorStorage, IBatchVectorStorage, IStreamingVectorStorage, IRecordOperationsStorage, IIndexMaintenanceStorage
{
    private const string CursorPrefix = "mock-after:";

    private static readonly StorageCapabilities MockCapabilities = new()
    {
        SystemName = MockConstants.SystemName,
        SupportsOffset = true,
        SupportsNamespaces = true,
        SupportsDeleteByFilter = true,
        SupportsExactSearch = true,
        Consistency = ConsistencyLevel.Strong,
        QueryTimeout = QueryTimeoutSupport.BackendDeadline,
        MixedBatches = true,
        AtomicBatches = true,
        SoftDelete = true,
        Ttl = true,
        Compaction = true,

        // Every search here is exact, so a quantized index answers as an unquantized one: accepted, so tests on the
        // Mock can create the indexes the engine serves.
        Quantizations = new HashSet<VectorQuantization> { VectorQuantization.None, VectorQuantization.Int8, VectorQuantization.Int4, VectorQuantization.Binary },
    };

    private readonly TimeProvider _time;
    private readonly TimeSpan _latency;
    private readonly double _errorRate;
    private readonly Random _dice;
    private readonly Lock _diceLock = new();
    private readonly Lock _catalogLock = new();
    private readonly SortedDictionary<string, StoredIndex> _indexes = new(StringComparer.Ordinal);
    private readonly Lock _callsLock = new();
    private readonly List<MockCall> _calls = [];

    public MockVectorStorage(MockOptions? options = null, TimeProvider? time = null)
    {
        options ??= new MockOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.LatencyMs, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.LatencyMs, MockOptions.MaxLatencyMs, nameof(options));
        if (options.ErrorRate is < 0 or > 1 || double.IsNaN(options.ErrorRate))
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.ErrorRate, "ErrorRate must be between 0 and 1.");
        }

        _time = time ?? TimeProvider.System;
        _latency = TimeSpan.FromMilliseconds(options.LatencyMs);
        _errorRate = options.ErrorRate;
#pragma warning disable CA5394 // The dice decide injected test faults, not anything secret; a seed makes runs repeat.
        _dice = new Random(options.Seed);
#pragma warning restore CA5394
    }

    public MockVectorStorage(IOptions<MockOptions> options, TimeProvider? time)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, time)
    {
    }

    public StorageCapabilities Capabilities => MockCapabilities;

    /// <summary>Every call received so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<MockCall> Calls
    {
        get
        {
            lock (_callsLock)
            {
                return _calls.ToArray();
            }
        }
    }

    public void ClearCalls()
    {
        lock (_callsLock)
        {
            _calls.Clear();
        }
    }

    public async ValueTask<IndexInfo> CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        await EnterAsync(definition.Name.Value, cancellationToken).ConfigureAwait(false);
        var stored = new StoredIndex(definition, _time.GetUtcNow());
        lock (_catalogLock)
        {
            if (!_indexes.TryAdd(definition.Name.Value, stored))
            {
                throw new IndexAlreadyExistsException(definition.Name.Value) { SystemName = MockConstants.SystemName, Operation = "CreateIndex" };
            }
        }

        return Describe(stored);
    }

    public async ValueTask<IndexInfo> DescribeIndexAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        return Describe(Find(index, "DescribeIndex"));
    }

    public async ValueTask<IReadOnlyList<IndexInfo>> ListIndexesAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(null, cancellationToken).ConfigureAwait(false);
        StoredIndex[] all;
        lock (_catalogLock)
        {
            all = [.. _indexes.Values];
        }

        return all.Select(Describe).ToArray();
    }

    public async ValueTask DeleteIndexAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        lock (_catalogLock)
        {
            if (!_indexes.Remove(index.Value))
            {
                throw NotFound(index, "DeleteIndex");
            }
        }
    }

    public async ValueTask UpsertAsync(IndexName index, VectorRecord record, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(record);
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "Upsert");
        Vectors.ThrowIfInvalidRecord(stored.Definition, record, MockConstants.SystemName, "Upsert");

        lock (stored.Gate)
        {
            stored.Put(ns, StoredRecord.From(record), _time.GetUtcNow());
        }
    }

    public async ValueTask<VectorRecord?> GetAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(id);
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "Get");
        lock (stored.Gate)
        {
            return stored.TryGet(ns, id, _time.GetUtcNow())?.ToRecord(includeValues: true, includeMetadata: true);
        }
    }

    public async ValueTask<bool> DeleteAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(id);
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "Delete");
        lock (stored.Gate)
        {
            return stored.Remove(ns, id.Value, _time.GetUtcNow());
        }
    }

    /// <summary>
    /// The injected latency and the scan both run under the search's deadline (<see cref="SearchOptions.Timeout"/>): past
    /// it the delay ends or the scan stops (checked every 256 records) with <see cref="StorageTimeoutException"/>.
    /// </summary>
    public async ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        var started = _time.GetTimestamp();
        using var deadline = SearchDeadline.Start(options, MockCapabilities, index.Value, "Search", cancellationToken);
        try
        {
            await EnterAsync(index.Value, deadline.Token).ConfigureAwait(false);
            var stored = Find(index, "Search");
            Vectors.ThrowIfInvalidQuery(stored.Definition, vector.Span, MockConstants.SystemName, "Search");

            ValidateFilter(options.Filter);
            var query = vector.ToArray();
            IReadOnlyList<SearchMatch> matches;
            lock (stored.Gate)
            {
                matches = stored.Search(query, options, excluded: null, _time.GetUtcNow(), deadline.Token);
            }

            return new SearchResult(matches, Approximate: false, _time.GetElapsedTime(started));
        }
        catch (OperationCanceledException canceled) when (deadline.HasPassed)
        {
            throw deadline.Exceeded(MockConstants.SystemName, index.Value, "Search", canceled);
        }
    }

    public async ValueTask<SearchResult> SearchByIdAsync(IndexName index, VectorId id, SearchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(options);
        var started = _time.GetTimestamp();
        using var deadline = SearchDeadline.Start(options, MockCapabilities, index.Value, "SearchById", cancellationToken);
        try
        {
            await EnterAsync(index.Value, deadline.Token).ConfigureAwait(false);
            var stored = Find(index, "SearchById");
            ValidateFilter(options.Filter);
            IReadOnlyList<SearchMatch> matches;
            lock (stored.Gate)
            {
                var now = _time.GetUtcNow();
                var self = stored.TryGet(options.Namespace, id, now)
                    ?? throw new RecordNotFoundException(index.Value, id.Value) { SystemName = MockConstants.SystemName, Operation = "SearchById" };
                matches = stored.Search(self.Values, options, excluded: id.Value, now, deadline.Token);
            }

            return new SearchResult(matches, Approximate: false, _time.GetElapsedTime(started));
        }
        catch (OperationCanceledException canceled) when (deadline.HasPassed)
        {
            throw deadline.Exceeded(MockConstants.SystemName, index.Value, "SearchById", canceled);
        }
    }

    public async ValueTask<IndexStats> GetStatsAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "GetStats");
        lock (stored.Gate)
        {
            return stored.Stats(_time.GetUtcNow());
        }
    }

    /// <summary>Healthy, or Degraded while faults are injected; never failed by the dice itself, so probes stay readable.</summary>
    public async ValueTask<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        await EnterAsync(null, cancellationToken, injectFaults: false).ConfigureAwait(false);
        return _errorRate > 0
            ? new StorageHealth(HealthStatus.Degraded, MockConstants.SystemName, $"injecting transient faults into {_errorRate:P0} of calls")
            : new StorageHealth(HealthStatus.Healthy, MockConstants.SystemName);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    private static void ValidateFilter(FilterExpression? filter)
    {
        if (filter is not null)
        {
            FilterLimits.Validate(filter);
        }
    }


    private static IndexNotFoundException NotFound(IndexName index, string operation) =>
        new(index.Value) { SystemName = MockConstants.SystemName, Operation = operation };

    private static string OperationName(string member) =>
        member.EndsWith("Async", StringComparison.Ordinal) ? member[..^"Async".Length] : member;

    private StoredIndex Find(IndexName index, string operation)
    {
        lock (_catalogLock)
        {
            return _indexes.TryGetValue(index.Value, out var stored) ? stored : throw NotFound(index, operation);
        }
    }

    private IndexInfo Describe(StoredIndex stored)
    {
        lock (stored.Gate)
        {
            return new IndexInfo(stored.Definition, stored.VisibleCount(_time.GetUtcNow()), stored.CreatedAt, stored.UpdatedAt);
        }
    }

    private string Log(string? index, [CallerMemberName] string member = "")
    {
        var operation = OperationName(member);
        lock (_callsLock)
        {
            _calls.Add(new MockCall(operation, index, _time.GetUtcNow()));
        }

        return operation;
    }

    // Log, then wait, then roll: the delay is paid even by calls that fail, as with a slow backend that errors.
    private async ValueTask EnterAsync(string? index, CancellationToken cancellationToken, bool injectFaults = true, [CallerMemberName] string member = "")
    {
        cancellationToken.ThrowIfCancellationRequested();
        var operation = Log(index, member);
        if (_latency > TimeSpan.Zero)
        {
            await Task.Delay(_latency, _time, cancellationToken).ConfigureAwait(false);
        }

        if (!injectFaults || _errorRate <= 0)
        {
            return;
        }

        bool fail;
        lock (_diceLock)
        {
#pragma warning disable CA5394 // Seeded dice for injected test faults; not security sensitive.
            fail = _dice.NextDouble() < _errorRate;
#pragma warning restore CA5394
        }

        if (fail)
        {
            throw new StorageUnavailableException($"Injected transient fault in {operation}.")
            {
                SystemName = MockConstants.SystemName,
                Index = index,
                Operation = operation,
            };
        }
    }

    /// <summary>A stored record; <see cref="DeletedAt"/> set while it is soft-deleted.</summary>
    private sealed record StoredRecord(VectorId Id, float[] Values, Metadata Metadata)
    {
        public DateTimeOffset? ExpiresAt { get; init; }

        public DateTimeOffset? DeletedAt { get; init; }

        public static StoredRecord From(VectorRecord record) =>
            new(record.Id, record.Values.ToArray(), record.Metadata ?? Metadata.Empty) { ExpiresAt = record.ExpiresAt };

        /// <summary>Expired at <paramref name="now"/>: its expiry is at or before now. An expired record counts as missing everywhere.</summary>
        public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expiresAt && expiresAt <= now;

        /// <summary>Live: neither soft-deleted nor expired; only live records are searched, read and counted.</summary>
        public bool IsLive(DateTimeOffset now) => DeletedAt is null && !IsExpired(now);

        /// <summary>Exists for operations that name it: live or soft-deleted, not expired.</summary>
        public bool Exists(DateTimeOffset now) => !IsExpired(now);

        public bool IsVisible(DateTimeOffset now, bool includeDeleted) => includeDeleted ? Exists(now) : IsLive(now);

        public VectorRecord ToRecord(bool includeValues, bool includeMetadata) =>
            new(Id, includeValues ? (float[])Values.Clone() : ReadOnlyMemory<float>.Empty, includeMetadata ? Metadata : Metadata.Empty)
            {
                ExpiresAt = ExpiresAt,
                DeletedAt = DeletedAt,
            };
    }

    private sealed class StoredIndex(IndexDefinition definition, DateTimeOffset createdAt)
    {
        private static readonly SortedDictionary<string, StoredRecord> NoRecords = new(StringComparer.Ordinal);

        private readonly Dictionary<Namespace, SortedDictionary<string, StoredRecord>> _namespaces = [];

        public IndexDefinition Definition { get; } = definition;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public DateTimeOffset UpdatedAt { get; private set; } = createdAt;

        /// <summary>Guards everything below; taken for every read and write of this index.</summary>
        public Lock Gate { get; } = new();

        public IEnumerable<KeyValuePair<Namespace, SortedDictionary<string, StoredRecord>>> Namespaces => _namespaces;

        public long VisibleCount(DateTimeOffset now) => _namespaces.Values.Sum(records => (long)records.Values.Count(r => r.IsLive(now)));

        /// <summary>The live record, or null when it is missing, soft-deleted or expired.</summary>
        public StoredRecord? TryGet(Namespace ns, VectorId id, DateTimeOffset now) =>
            TryGetStored(ns, id.Value) is { } record && record.IsLive(now) ? record : null;

        /// <summary>The stored record whatever its state.</summary>
        public StoredRecord? TryGetStored(Namespace ns, string id) =>
            _namespaces.TryGetValue(ns, out var records) && records.TryGetValue(id, out var record) ? record : null;

        /// <summary>A copy of the namespace's records, to stage an atomic batch on.</summary>
        public SortedDictionary<string, StoredRecord> Copy(Namespace ns) =>
            _namespaces.TryGetValue(ns, out var records) ? new(records, StringComparer.Ordinal) : new(StringComparer.Ordinal);

        /// <summary>Puts <paramref name="records"/> in place of the namespace's records (an atomic batch's commit).</summary>
        public void Replace(Namespace ns, SortedDictionary<string, StoredRecord> records, DateTimeOffset now)
        {
            if (records.Count == 0)
            {
                _namespaces.Remove(ns);
            }
            else
            {
                _namespaces[ns] = records;
            }

            UpdatedAt = now;
        }

        /// <summary>The namespace's records for in-place writes, made when missing.</summary>
        public SortedDictionary<string, StoredRecord> Records(Namespace ns)
        {
            if (!_namespaces.TryGetValue(ns, out var records))
            {
                records = new SortedDictionary<string, StoredRecord>(StringComparer.Ordinal);
                _namespaces.Add(ns, records);
            }

            return records;
        }

        /// <summary>Drops the namespace when nothing is left in it; marks the index updated.</summary>
        public void Touched(Namespace ns, DateTimeOffset now)
        {
            if (_namespaces.TryGetValue(ns, out var records) && records.Count == 0)
            {
                _namespaces.Remove(ns);
            }

            UpdatedAt = now;
        }

        /// <summary>Removes, across namespaces, the records <paramref name="doomed"/> picks; returns them by kind.</summary>
        public (long SoftDeleted, long Expired) Purge(Func<StoredRecord, bool> doomed, DateTimeOffset now)
        {
            long softDeleted = 0;
            long expired = 0;
            foreach (var ns in _namespaces.Keys.ToList())
            {
                var records = _namespaces[ns];
                foreach (var record in records.Values.Where(doomed).ToList())
                {
                    records.Remove(record.Id.Value);
                    if (record.IsExpired(now))
                    {
                        expired++;
                    }
                    else
                    {
                        softDeleted++;
                    }
                }

                if (records.Count == 0)
                {
                    _namespaces.Remove(ns);
                }
            }

            if (softDeleted + expired > 0)
            {
                UpdatedAt = now;
            }

            return (softDeleted, expired);
        }

        public long MemoryBytes() => _namespaces.Values.Sum(records => records.Values.Sum(Footprint));

        // A rough footprint: the floats, the id's UTF-16 chars, metadata as JSON, and object overhead.
        private static long Footprint(StoredRecord record) =>
            (record.Values.Length * sizeof(float)) + (record.Id.Value.Length * sizeof(char)) + MetadataJson.SerializedSize(record.Metadata) + 64;

        public SortedDictionary<string, StoredRecord>.ValueCollection InOrder(Namespace ns) =>
            (_namespaces.TryGetValue(ns, out var records) ? records : NoRecords).Values;

        public void Put(Namespace ns, StoredRecord record, DateTimeOffset now)
        {
            if (!_namespaces.TryGetValue(ns, out var records))
            {
                records = new SortedDictionary<string, StoredRecord>(StringComparer.Ordinal);
                _namespaces.Add(ns, records);
            }

            records[record.Id.Value] = record;
            UpdatedAt = now;
        }

        /// <summary>Removes the record whatever its state; true when it existed (live or soft-deleted, not expired).</summary>
        public bool Remove(Namespace ns, string id, DateTimeOffset now)
        {
            if (!_namespaces.TryGetValue(ns, out var records) || !records.Remove(id, out var removed))
            {
                return false;
            }

            if (records.Count == 0)
            {
                _namespaces.Remove(ns);
            }

            UpdatedAt = now;
            return removed.Exists(now);
        }

        public long RemoveWhere(Namespace ns, Func<StoredRecord, bool> predicate, DateTimeOffset now)
        {
            if (!_namespaces.TryGetValue(ns, out var records))
            {
                return 0;
            }

            // soft-deleted and expired records go too; the count is of those that existed (not expired)
            var doomed = records.Values.Where(predicate).ToList();
            foreach (var record in doomed)
            {
                records.Remove(record.Id.Value);
            }

            if (records.Count == 0)
            {
                _namespaces.Remove(ns);
            }

            if (doomed.Count > 0)
            {
                UpdatedAt = now;
            }

            return doomed.Count(r => r.Exists(now));
        }

        public List<SearchMatch> Search(ReadOnlySpan<float> query, SearchOptions options, string? excluded, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var candidates = new List<(SearchMatch Match, StoredRecord Record)>();
            if (_namespaces.TryGetValue(options.Namespace, out var records))
            {
                var scanned = 0;
                foreach (var record in records.Values)
                {
                    if ((scanned++ & 255) == 0)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                    }

                    if (!record.IsLive(now) || (excluded is not null && string.Equals(record.Id.Value, excluded, StringComparison.Ordinal)))
                    {
                        continue;
                    }

                    if (options.Filter is not null && !FilterEvaluator.Matches(options.Filter, record.Metadata))
                    {
                        continue;
                    }

                    var (score, distance) = Scoring.Exact(Definition.Metric, query, record.Values);
                    if (options.ScoreThreshold is { } threshold && score < threshold)
                    {
                        continue;
                    }

                    candidates.Add((new SearchMatch(record.Id, score, distance), record));
                }
            }

            candidates.Sort(static (a, b) => SearchResult.Order.Compare(a.Match, b.Match));
            var matches = new List<SearchMatch>(Math.Min(options.TopK, Math.Max(0, candidates.Count - options.Offset)));
            for (var i = options.Offset; i < candidates.Count && matches.Count < options.TopK; i++)
            {
                var (match, record) = candidates[i];
                matches.Add(match with
                {
                    // a bare null would convert through float[] into an empty vector; "not included" must stay null
                    Values = options.IncludeValues ? (float[])record.Values.Clone() : (ReadOnlyMemory<float>?)null,
                    Metadata = options.IncludeMetadata ? record.Metadata : null,
                });
            }

            return matches;
        }

        /// <summary>Counts of live records (total, per namespace, per field); soft-deleted and expired ones apart; memory of all kept.</summary>
        public IndexStats Stats(DateTimeOffset now)
        {
            var fields = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var perNamespace = new SortedDictionary<string, long>(StringComparer.Ordinal);
            long memory = 0;
            long live = 0;
            long softDeleted = 0;
            long expired = 0;
            foreach (var (ns, records) in _namespaces)
            {
                long liveHere = 0;
                foreach (var record in records.Values)
                {
                    memory += Footprint(record);
                    if (record.IsExpired(now))
                    {
                        expired++;
                        continue;
                    }

                    if (record.DeletedAt is not null)
                    {
                        softDeleted++;
                        continue;
                    }

                    liveHere++;
                    foreach (var key in record.Metadata.Keys)
                    {
                        fields[key] = fields.GetValueOrDefault(key) + 1;
                    }
                }

                if (liveHere > 0)
                {
                    perNamespace[ns.Value] = liveHere;
                }

                live += liveHere;
            }

            // Every record is searched exactly, so nothing ever waits to be indexed.
            return new IndexStats(live, Definition.Dimension, Definition.Metric, memory, fields, perNamespace, CreatedAt, UpdatedAt)
            {
                UnindexedVectors = 0,
                SoftDeletedVectors = softDeleted,
                ExpiredVectors = expired,
            };
        }
    }
}
