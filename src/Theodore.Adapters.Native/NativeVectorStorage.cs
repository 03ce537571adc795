using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Theodore.Adapters.Native.Persistence;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Engine;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native;

/// <summary>
/// The default backend: Theodore's embedded HNSW engine. Each (index, namespace) pair is its own engine
/// <see cref="VectorIndex"/>, created on the first write, so namespaces are isolated and counted for free. Cosine
/// vectors are stored normalized (the engine ranks unit vectors) and read back that way; the capabilities say so,
/// which saves keeping a second copy of every vector. Unless <see cref="NativeOptions.Durability"/> is None, every
/// change is logged durably before it is applied and acknowledged, and <see cref="OpenAsync(CancellationToken)"/>
/// recovers the data directory (each index from its last snapshot, graph included, plus the log's tail) before the
/// first request.
/// </summary>
public sealed partial class NativeVectorStorage : IVectorStorage, IBatchVectorStorage, IStreamingVectorStorage, IOpenableVectorStorage, IMemoryBudgetedStorage, IAsyncDisposable
{
    public const string IndexesDirectoryName = "indexes";

    // Keeps one logged upsert well under the log's record cap, whatever chunk size the caller asks for.
    private const long MaxDurableChunkBytes = 16L * 1024 * 1024;
    private const string CursorPrefix = "theodore-after:";
    private const int ListScanPage = 256;

    private static readonly StorageCapabilities NativeCapabilities = new()
    {
        SystemName = NativeConstants.SystemName,
        MaxTopK = SearchOptions.MaxTopK,
        SupportsOffset = true,
        SupportsNamespaces = true,
        SupportsDeleteByFilter = true,
        SupportsExactSearch = true,
        SupportsQueryEstimates = true,
        ReturnsNormalizedCosineVectors = true,
        Consistency = ConsistencyLevel.Strong,
        EnforcesMemoryBudget = true,
        QueryTimeout = QueryTimeoutSupport.BackendDeadline,
        MixedBatches = true,
        AtomicBatches = true,
        SoftDelete = true,
        Ttl = true,
        Compaction = true,
        OnlineRebuild = true,
        Quantizations = new HashSet<Core.Domain.VectorQuantization>
        {
            Core.Domain.VectorQuantization.None, Core.Domain.VectorQuantization.Int8, Core.Domain.VectorQuantization.Int4, Core.Domain.VectorQuantization.Binary,
        },
    };

    private readonly NativeOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, NativeIndex> _indexes = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _catalogGate = new(1, 1);
    private readonly IDurableFileSystem? _fileSystem;
    private readonly SemaphoreSlim _openGate = new(1, 1);
    private readonly NativeMemoryBudget _budget;
    private IDisposable? _dataLock;
    private volatile bool _open;
    private int _disposed;

    /// <summary>
    /// Storage with <paramref name="options"/>; without options it keeps everything in memory only and is open at
    /// once. A durable one serves after <see cref="OpenAsync(CancellationToken)"/> (or use
    /// <see cref="OpenAsync(NativeOptions, TimeProvider?, CancellationToken)"/>).
    /// </summary>
    public NativeVectorStorage(NativeOptions? options = null, TimeProvider? time = null)
        : this(options ?? new NativeOptions { Durability = DurabilityMode.None }, time, PhysicalDurableFileSystem.Instance)
    {
    }

    public NativeVectorStorage(IOptions<NativeOptions> options, TimeProvider? time)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, time)
    {
    }

    /// <summary>Storage on <paramref name="fileSystem"/> (tests use a simulated one); a durable one serves once opened.</summary>
    internal NativeVectorStorage(NativeOptions options, TimeProvider? time, IDurableFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(fileSystem);
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            throw new ArgumentException("Invalid native storage options: " + string.Join("; ", problems.Select(p => p.ErrorMessage)), nameof(options));
        }

        _options = options;
        _time = time ?? TimeProvider.System;
        _fileSystem = options.Durability == DurabilityMode.None ? null : fileSystem;
        _open = _fileSystem is null;
        _budget = new NativeMemoryBudget(options.EffectiveMemoryBudgetBytes(), () => _indexes.Values.Sum(static index => index.MemoryBytes));
    }

    public StorageCapabilities Capabilities => NativeCapabilities;

    public bool IsOpen => _open;

    /// <summary>What the indexes hold now (the sum of their stats' memory) and the budget (null when turned off).</summary>
    public MemoryBudgetStatus GetMemoryBudget() => _budget.Status();

    /// <summary>A durable storage with <paramref name="options"/>, its data directory recovered.</summary>
    public static ValueTask<NativeVectorStorage> OpenAsync(NativeOptions options, TimeProvider? time = null, CancellationToken cancellationToken = default) =>
        OpenAsync(options, time, PhysicalDurableFileSystem.Instance, cancellationToken);

    internal static async ValueTask<NativeVectorStorage> OpenAsync(NativeOptions options, TimeProvider? time, IDurableFileSystem fileSystem, CancellationToken cancellationToken = default)
    {
        var storage = new NativeVectorStorage(options, time, fileSystem);
        await storage.OpenAsync(cancellationToken).ConfigureAwait(false);
        return storage;
    }

    /// <summary>
    /// Recovers the data directory: takes its lock, removes what an unacknowledged change left, and loads every index.
    /// Throws <see cref="InvalidOperationException"/> naming the directory, and for corruption the file and offset,
    /// when it cannot; the storage is then closed.
    /// </summary>
    public async ValueTask OpenAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _openGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_open)
            {
                return;
            }

            await RecoverAsync(cancellationToken).ConfigureAwait(false);
            _open = true;
        }
        finally
        {
            _openGate.Release();
        }
    }

    /// <summary>Where the indexes live: <c>&lt;DataPath&gt;/indexes</c>.</summary>
    private string IndexesPath => Path.Combine(_options.DataPath, IndexesDirectoryName);

    /// <summary>
    /// Writes a snapshot of every index that changed since its last one and drops the log it covers; returns how many
    /// were written. Snapshots also happen in the background once an index's log passes <see cref="NativeOptions.SnapshotWalBytes"/>.
    /// </summary>
    public async Task<int> CheckpointAsync(CancellationToken cancellationToken = default)
    {
        var written = 0;
        foreach (var index in _indexes.Values.ToArray())
        {
            if (await index.CheckpointAsync(cancellationToken).ConfigureAwait(false))
            {
                written++;
            }
        }

        return written;
    }

    /// <summary>The options the engine of an index's default namespace runs on, for tests.</summary>
    internal VectorIndexOptions EngineOptionsOf(IndexName index) =>
        Find(index, "inspect").Find(default)?.Engine.Options ?? throw new InvalidOperationException($"index '{index}' has no default namespace yet");

    /// <summary>How the index came back when this storage opened; null for an index created since.</summary>
    internal IndexLoadReport? LoadReportOf(IndexName index) =>
        _indexes.TryGetValue(index.Value, out var stored) ? stored.LoadReport : null;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var index in _indexes.Values)
        {
            index.StopLinking();
            if (index.Journal is { } journal)
            {
                await journal.DisposeAsync().ConfigureAwait(false);
            }
        }

        _dataLock?.Dispose();
        _catalogGate.Dispose();
    }

    public ValueTask<IndexInfo> CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default) =>
        RunAsync("CreateIndex", definition?.Name, async () =>
        {
            ArgumentNullException.ThrowIfNull(definition);
            EnsureOpen("CreateIndex");
            await _catalogGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (_indexes.ContainsKey(definition.Name.Value))
                {
                    throw new IndexAlreadyExistsException(definition.Name.Value) { SystemName = NativeConstants.SystemName, Operation = "CreateIndex" };
                }

                var createdAt = _time.GetUtcNow();
                var journal = _fileSystem is null ? null : await CreateJournalAsync(definition, createdAt).ConfigureAwait(false);
                var created = new NativeIndex(definition, _options, _time, createdAt, journal);
                _indexes[definition.Name.Value] = created;
                return created.Describe();
            }
            finally
            {
                _catalogGate.Release();
            }
        }, cancellationToken);

    public ValueTask<IndexInfo> DescribeIndexAsync(IndexName index, CancellationToken cancellationToken = default) =>
        Run("DescribeIndex", index, () => Find(index, "DescribeIndex").Describe(), cancellationToken);

    public ValueTask<IReadOnlyList<IndexInfo>> ListIndexesAsync(CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<IndexInfo>>(
            "ListIndexes",
            null,
            () =>
            {
                EnsureOpen("ListIndexes");
                return _indexes.Values.Select(static i => i.Describe()).OrderBy(static i => i.Name.Value, StringComparer.Ordinal).ToArray();
            },
            cancellationToken);

    public ValueTask DeleteIndexAsync(IndexName index, CancellationToken cancellationToken = default) =>
        RunVoidAsync("DeleteIndex", index, async () =>
        {
            ArgumentNullException.ThrowIfNull(index);
            await _catalogGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                // Searches already holding the index finish on it; later calls no longer find it.
                if (!_indexes.TryRemove(index.Value, out var removed))
                {
                    throw NotFound(index, "DeleteIndex");
                }

                await removed.CloseAsync().ConfigureAwait(false);
                if (_fileSystem is not null)
                {
                    RemoveDirectory(IndexesPath, index.Value);
                }
            }
            finally
            {
                _catalogGate.Release();
            }

            return true;
        }, cancellationToken);

    public ValueTask UpsertAsync(IndexName index, VectorRecord record, Namespace ns = default, CancellationToken cancellationToken = default) =>
        RunVoidAsync("Upsert", index, async () =>
        {
            ArgumentNullException.ThrowIfNull(record);
            var stored = Find(index, "Upsert");
            Vectors.ThrowIfInvalidRecord(stored.Definition, record, NativeConstants.SystemName, "Upsert");

            var values = ValuesToStore(stored, record.Values);
            var metadata = record.Metadata ?? Metadata.Empty;
            using var reservation = _budget.Reserve(NativeMemoryBudget.Estimate(stored, ns, [record]), index.Value, "Upsert", 1);
            if (record.ExpiresAt is not null)
            {
                // An expiring record is logged as a one-operation batch (the plain upsert record has no expiry).
                var storedRecord = new StoredRecord(record.Id.Value, values, metadata) { ExpiresAt = record.ExpiresAt };
                await ApplyLoggedAsync(stored, ns, [new LoggedOperation(Core.Domain.Operations.RecordOperationKind.Upsert, record.Id.Value) { Record = storedRecord }], "Upsert", cancellationToken).ConfigureAwait(false);
                return true;
            }

            return await stored.WriteAsync("Upsert", log =>
            {
                var now = _time.GetUtcNow();
                var payload = log ? JournalCodec.EncodeUpsert(now, ns, [new StoredRecord(record.Id.Value, values, metadata)]) : null;
                return new PendingWrite<bool>(JournalCodec.UpsertType, payload, () =>
                {
                    var shard = stored.GetOrCreate(ns);
                    shard.Remember(metadata);
                    shard.Engine.Upsert(record.Id.Value, values.Span, NativeMapper.ToEngine(metadata));
                    stored.Touch(now);
                    return true;
                });
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    public ValueTask<VectorRecord?> GetAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default) =>
        Run("Get", index, () =>
        {
            ArgumentNullException.ThrowIfNull(id);
            var found = Find(index, "Get").Find(ns)?.Engine.Get(id.Value);
            return found is null ? null : ToCore(id, found);
        }, cancellationToken);

    public ValueTask<bool> DeleteAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default) =>
        RunAsync("Delete", index, async () =>
        {
            ArgumentNullException.ThrowIfNull(id);
            var stored = Find(index, "Delete");
            var removed = await DeleteIdsAsync(stored, ns, [id.Value], "Delete", cancellationToken).ConfigureAwait(false);
            return removed > 0;
        }, cancellationToken);

    public ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default) =>
        Run("Search", index, () =>
        {
            ArgumentNullException.ThrowIfNull(options);
            var started = _time.GetTimestamp();
            var stored = Find(index, "Search");
            Vectors.ThrowIfInvalidQuery(stored.Definition, vector.Span, NativeConstants.SystemName, "Search");

            var filter = TranslateFilter(options.Filter);
            using var deadline = SearchDeadline.Start(options, NativeCapabilities, index.Value, "Search", cancellationToken);
            return Search(stored, stored.Find(options.Namespace), vector.Span, options, filter, excluded: null, started, deadline);
        }, cancellationToken);

    public ValueTask<SearchResult> SearchByIdAsync(IndexName index, VectorId id, SearchOptions options, CancellationToken cancellationToken = default) =>
        Run("SearchById", index, () =>
        {
            ArgumentNullException.ThrowIfNull(id);
            ArgumentNullException.ThrowIfNull(options);
            var started = _time.GetTimestamp();
            var stored = Find(index, "SearchById");
            var filter = TranslateFilter(options.Filter);
            using var deadline = SearchDeadline.Start(options, NativeCapabilities, index.Value, "SearchById", cancellationToken);
            var shard = stored.Find(options.Namespace);
            var self = shard?.Engine.Get(id.Value)
                ?? throw new RecordNotFoundException(index.Value, id.Value) { SystemName = NativeConstants.SystemName, Operation = "SearchById" };
            return Search(stored, shard, self.Vector.Span, options, filter, excluded: id.Value, started, deadline);
        }, cancellationToken);

    public ValueTask<IndexStats> GetStatsAsync(IndexName index, CancellationToken cancellationToken = default) =>
        Run("GetStats", index, () => Find(index, "GetStats").Stats(), cancellationToken);

    /// <summary>
    /// Unhealthy, with the reason, once an index's log could not be made durable (its writes are stopped until a
    /// restart recovers it); degraded when a background snapshot failed (the log still holds every change).
    /// </summary>
    public ValueTask<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Run("CheckHealth", null, () =>
        {
            if (!_open)
            {
                return new StorageHealth(HealthStatus.Unhealthy, NativeConstants.SystemName, $"the data directory {_options.DataPath} is not open yet");
            }

            string? degraded = null;
            foreach (var (name, index) in _indexes)
            {
                if (index.Journal is not { } journal)
                {
                    continue;
                }

                if (journal.IsFailed)
                {
                    return new StorageHealth(
                        HealthStatus.Unhealthy,
                        NativeConstants.SystemName,
                        $"index '{name}': writes are stopped: the write-ahead log could not be made durable: {journal.FailureReason}");
                }

                if (journal.CheckpointError is { } error)
                {
                    degraded ??= $"index '{name}': the last snapshot failed, the log still holds every change: {error}";
                }
            }

            return degraded is null
                ? new StorageHealth(HealthStatus.Healthy, NativeConstants.SystemName, DescribeStorage())
                : new StorageHealth(HealthStatus.Degraded, NativeConstants.SystemName, degraded);
        }, cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>The engine arguments of a search, shared by the search and its estimate.</summary>
    private static (int K, int Ef, bool Exact) PlanSearch(NativeIndex stored, int live, SearchOptions options, bool byId)
    {
        // One extra for the record a search by id leaves out; at the engine's cap that can cost one match.
        var k = Math.Min(options.TopK + options.Offset + (byId ? 1 : 0), VectorIndex.MaxK);

        // When k covers every record the scan is exact and costs no more than the graph walk.
        var exact = options.Exact || live <= k;
        var ef = Math.Max(options.Ef ?? stored.Options.DefaultEf, k);
        return (k, ef, exact);
    }

    private static SearchResult Search(NativeIndex stored, Shard? shard, ReadOnlySpan<float> query, SearchOptions options, EngineFilter? filter, string? excluded, long started, SearchDeadline deadline)
    {
        var time = stored.Time;
        if (shard is null)
        {
            return new SearchResult([], Approximate: false, time.GetElapsedTime(started));
        }

        var engine = shard.Engine;
        var metric = stored.Definition.Metric;
        var wanted = options.TopK + options.Offset;
        var live = engine.Count;
        if (wanted > VectorIndex.MaxK && live > VectorIndex.MaxK)
        {
            throw new InvalidRequestException("offset", $"topK + offset reach at most {VectorIndex.MaxK} on this backend")
            {
                SystemName = NativeConstants.SystemName,
                Index = stored.Definition.Name.Value,
                Operation = excluded is null ? "Search" : "SearchById",
            };
        }

        var (k, ef, exact) = PlanSearch(stored, live, options, byId: excluded is not null);
        SearchHit[] hits;
        try
        {
            // the engine reads the token while it walks or scans, so a passed deadline stops the work itself
            hits = engine.Search(query, k, ef, exact, filter, withVectors: options.IncludeValues, rerankFactor: options.RerankFactor, cancellationToken: deadline.Token);
            if (deadline.HasElapsed)
            {
                // finished, but past its deadline: the timer that would have stopped it ran late
                throw deadline.Exceeded(NativeConstants.SystemName, stored.Definition.Name.Value, excluded is null ? "Search" : "SearchById");
            }
        }
        catch (OperationCanceledException canceled) when (deadline.HasPassed)
        {
            throw deadline.Exceeded(NativeConstants.SystemName, stored.Definition.Name.Value, excluded is null ? "Search" : "SearchById", canceled);
        }

        // The engine's order (distance, then key) is the result's order; each hit carries the metadata the filter
        // saw, so nothing is looked up, filtered or parsed again here.
        var matches = new List<SearchMatch>(Math.Min(hits.Length, options.TopK));
        var skip = options.Offset;
        foreach (var hit in hits)
        {
            if (excluded is not null && string.Equals(hit.Key, excluded, StringComparison.Ordinal))
            {
                continue;
            }

            var (score, distance) = NativeMapper.Score(metric, hit.Distance);
            if (options.ScoreThreshold is { } threshold && score < threshold)
            {
                continue;
            }

            if (skip > 0)
            {
                skip--;
                continue;
            }

            var metadata = options.IncludeMetadata && hit.Metadata is { } found ? NativeMapper.ToCore(found) : null;
            matches.Add(new SearchMatch(VectorId.FromStored(hit.Key), score, distance, hit.Vector, metadata));
            if (matches.Count == options.TopK)
            {
                break;
            }
        }

        SearchResult.EnsureOrder(matches);
        return new SearchResult(matches, Approximate: !exact, time.GetElapsedTime(started));
    }

    private static EngineFilter? TranslateFilter(FilterExpression? filter)
    {
        if (filter is null)
        {
            return null;
        }

        FilterLimits.Validate(filter);
        return NativeMapper.ToEngine(filter);
    }

    private void EnsureOpen(string operation)
    {
        if (!_open)
        {
            throw new StorageUnavailableException($"The native storage has not opened its data directory {_options.DataPath} yet.")
            {
                SystemName = NativeConstants.SystemName,
                Operation = operation,
            };
        }
    }

    private static IndexNotFoundException NotFound(IndexName index, string operation) =>
        new(index.Value) { SystemName = NativeConstants.SystemName, Operation = operation };

    // The one point where failures are wrapped: Core's errors and cancellation pass through, anything the engine
    // throws becomes a backend error naming the system, index and operation. Errors surface through the ValueTask.
    private static ValueTask<T> Run<T>(string operation, IndexName? index, Func<T> body, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(body());
        }
        catch (Exception ex) when (ex is not (VectorStorageException or OperationCanceledException or ArgumentException))
        {
            return ValueTask.FromException<T>(new VectorStorageException($"The native engine failed in {operation}: {ex.Message}", ErrorCodes.BackendError, ex)
            {
                SystemName = NativeConstants.SystemName,
                Index = index?.Value,
                Operation = operation,
            });
        }
        catch (Exception ex)
        {
            return ValueTask.FromException<T>(ex);
        }
    }

    private static async ValueTask<T> RunAsync<T>(string operation, IndexName? index, Func<ValueTask<T>> body, CancellationToken cancellationToken)
    {
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (VectorStorageException or OperationCanceledException or ArgumentException))
        {
            throw new VectorStorageException($"The native engine failed in {operation}: {ex.Message}", ErrorCodes.BackendError, ex)
            {
                SystemName = NativeConstants.SystemName,
                Index = index?.Value,
                Operation = operation,
            };
        }
    }

    private static ValueTask RunVoidAsync(string operation, IndexName? index, Func<ValueTask<bool>> body, CancellationToken cancellationToken)
    {
        var result = RunAsync<bool>(operation, index, body, cancellationToken);
        return result.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(result.AsTask());
    }

    // Durable cosine vectors are normalized to a fixed point first (see CosineVectors); the log then holds exactly what the engine keeps.
    private static ReadOnlyMemory<float> ValuesToStore(NativeIndex stored, ReadOnlyMemory<float> values, bool copy = false)
    {
        if (stored.Journal is not null && stored.Definition.Metric == Core.Domain.DistanceMetric.Cosine)
        {
            return CosineVectors.Canonical(values.Span);
        }

        return copy ? values.ToArray() : values;
    }

    private static ValueTask RunVoid(string operation, IndexName? index, Action body, CancellationToken cancellationToken)
    {
        var result = Run(
            operation,
            index,
            () =>
            {
                body();
                return true;
            },
            cancellationToken);
        return result.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(result.AsTask());
    }

    private NativeIndex Find(IndexName index, string operation)
    {
        ArgumentNullException.ThrowIfNull(index);
        EnsureOpen(operation);
        return _indexes.TryGetValue(index.Value, out var stored) ? stored : throw NotFound(index, operation);
    }
}
