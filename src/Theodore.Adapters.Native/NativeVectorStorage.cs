using System.Buffers.Text;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Extensions.Options;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Engine;

namespace Theodore.Adapters.Native;

/// <summary>
/// The default backend: Theodore's embedded HNSW engine, in memory. Each (index, namespace) pair is its own engine
/// <see cref="VectorIndex"/>, created on the first write, so namespaces are isolated and counted for free. Cosine
/// vectors are stored normalized (the engine ranks unit vectors) and read back that way; the capabilities say so,
/// which saves keeping a second copy of every vector. There is no result cache, so invalidation is a no-op and the
/// cache statistics stay zero.
/// </summary>
public sealed class NativeVectorStorage : IVectorStorage, IBatchVectorStorage, IStreamingVectorStorage, ICacheableVectorStorage
{
    private const string CursorPrefix = "theodore-after:";
    private const int ListScanPage = 256;

    // Rough bytes the adapter itself holds besides the engine: an index's catalogue entry and definition,
    // a namespace's dictionary entry and bookkeeping, and one remembered list-valued field name.
    private const long IndexOverheadBytes = 1024;
    private const long NamespaceOverheadBytes = 512;
    private const long ListFieldOverheadBytes = 96;

    private static readonly StorageCapabilities NativeCapabilities = new()
    {
        SystemName = NativeConstants.SystemName,
        MaxTopK = SearchOptions.MaxTopK,
        SupportsOffset = true,
        SupportsNamespaces = true,
        SupportsDeleteByFilter = true,
        SupportsExactSearch = true,
        ReturnsNormalizedCosineVectors = true,
        Consistency = ConsistencyLevel.Strong,
    };

    private readonly NativeOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, NativeIndex> _indexes = new(StringComparer.Ordinal);

    public NativeVectorStorage(NativeOptions? options = null, TimeProvider? time = null)
    {
        options ??= new NativeOptions();
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            throw new ArgumentException("Invalid native storage options: " + string.Join("; ", problems.Select(p => p.ErrorMessage)), nameof(options));
        }

        _options = options;
        _time = time ?? TimeProvider.System;
    }

    public NativeVectorStorage(IOptions<NativeOptions> options, TimeProvider? time)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, time)
    {
    }

    public StorageCapabilities Capabilities => NativeCapabilities;

    public ValueTask<IndexInfo> CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default) =>
        Run("CreateIndex", definition?.Name, () =>
        {
            ArgumentNullException.ThrowIfNull(definition);
            var created = new NativeIndex(definition, _options, _time);
            if (!_indexes.TryAdd(definition.Name.Value, created))
            {
                throw new IndexAlreadyExistsException(definition.Name.Value) { SystemName = NativeConstants.SystemName, Operation = "CreateIndex" };
            }

            return created.Describe();
        }, cancellationToken);

    public ValueTask<IndexInfo> DescribeIndexAsync(IndexName index, CancellationToken cancellationToken = default) =>
        Run("DescribeIndex", index, () => Find(index, "DescribeIndex").Describe(), cancellationToken);

    public ValueTask<IReadOnlyList<IndexInfo>> ListIndexesAsync(CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<IndexInfo>>(
            "ListIndexes",
            null,
            () => _indexes.Values.Select(static i => i.Describe()).OrderBy(static i => i.Name.Value, StringComparer.Ordinal).ToArray(),
            cancellationToken);

    public ValueTask DeleteIndexAsync(IndexName index, CancellationToken cancellationToken = default) =>
        RunVoid("DeleteIndex", index, () =>
        {
            ArgumentNullException.ThrowIfNull(index);

            // Searches already holding the index finish on it; later calls no longer find it.
            if (!_indexes.TryRemove(index.Value, out _))
            {
                throw NotFound(index, "DeleteIndex");
            }
        }, cancellationToken);

    public ValueTask UpsertAsync(IndexName index, VectorRecord record, Namespace ns = default, CancellationToken cancellationToken = default) =>
        RunVoid("Upsert", index, () =>
        {
            ArgumentNullException.ThrowIfNull(record);
            var stored = Find(index, "Upsert");
            var errors = RecordRules.Check(stored.Definition, record, "record");
            if (errors.Count > 0)
            {
                throw RecordRules.ToException(errors, NativeConstants.SystemName, index, "Upsert");
            }

            var shard = stored.GetOrCreate(ns);
            shard.Remember(record.Metadata);
            shard.Engine.Upsert(record.Id.Value, record.Values.Span, NativeMapper.ToEngine(record.Metadata));
            stored.Touch(_time.GetUtcNow());
        }, cancellationToken);

    public ValueTask<VectorRecord?> GetAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default) =>
        Run("Get", index, () =>
        {
            ArgumentNullException.ThrowIfNull(id);
            var found = Find(index, "Get").Find(ns)?.Engine.Get(id.Value);
            return found is null ? null : new VectorRecord(id, found.Vector, NativeMapper.ToCore(found.Metadata));
        }, cancellationToken);

    public ValueTask<bool> DeleteAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default) =>
        Run("Delete", index, () =>
        {
            ArgumentNullException.ThrowIfNull(id);
            var stored = Find(index, "Delete");
            var removed = stored.Find(ns)?.Engine.Delete(id.Value) ?? false;
            if (removed)
            {
                stored.Touch(_time.GetUtcNow());
            }

            return removed;
        }, cancellationToken);

    public ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default) =>
        Run("Search", index, () =>
        {
            ArgumentNullException.ThrowIfNull(options);
            var started = _time.GetTimestamp();
            var stored = Find(index, "Search");
            var errors = Vectors.Check(vector, stored.Definition.Dimension, stored.Definition.Metric, "vector").ToList();
            if (errors.Count > 0)
            {
                throw RecordRules.ToException(errors, NativeConstants.SystemName, index, "Search");
            }

            var filter = TranslateFilter(options.Filter);
            return Search(stored, stored.Find(options.Namespace), vector.Span, options, filter, excluded: null, started);
        }, cancellationToken);

    public ValueTask<SearchResult> SearchByIdAsync(IndexName index, VectorId id, SearchOptions options, CancellationToken cancellationToken = default) =>
        Run("SearchById", index, () =>
        {
            ArgumentNullException.ThrowIfNull(id);
            ArgumentNullException.ThrowIfNull(options);
            var started = _time.GetTimestamp();
            var stored = Find(index, "SearchById");
            var filter = TranslateFilter(options.Filter);
            var shard = stored.Find(options.Namespace);
            var self = shard?.Engine.Get(id.Value)
                ?? throw new RecordNotFoundException(index.Value, id.Value) { SystemName = NativeConstants.SystemName, Operation = "SearchById" };
            return Search(stored, shard, self.Vector.Span, options, filter, excluded: id.Value, started);
        }, cancellationToken);

    public ValueTask<IndexStats> GetStatsAsync(IndexName index, CancellationToken cancellationToken = default) =>
        Run("GetStats", index, () => Find(index, "GetStats").Stats(), cancellationToken);

    /// <summary>Healthy while the process runs: the engine lives in it, so there is nothing remote to lose.</summary>
    public ValueTask<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Run("CheckHealth", null, static () => new StorageHealth(HealthStatus.Healthy, NativeConstants.SystemName), cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>
    /// Validates every record, writes the valid ones chunk by chunk (by count and bytes) with the engine's parallel
    /// insert, and reports progress after each chunk. Within one chunk the last record of an id wins, as it would one by one.
    /// </summary>
    public ValueTask<BatchResult> UpsertManyAsync(
        IndexName index,
        IReadOnlyList<VectorRecord> records,
        Namespace ns = default,
        BatchOptions? options = null,
        IProgress<BatchProgress>? progress = null,
        CancellationToken cancellationToken = default) =>
        Run("UpsertMany", index, () =>
        {
            ArgumentNullException.ThrowIfNull(records);
            options ??= BatchOptions.Default;
            ValidateBatchOptions(options);
            var stored = Find(index, "UpsertMany");
            var failures = new List<BatchItemError>();
            var succeeded = 0;
            var next = 0;
            while (next < records.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunk = new List<EngineRecord>();
                var positions = new Dictionary<string, int>(StringComparer.Ordinal);
                long bytes = 0;
                var taken = 0;
                for (; next < records.Count && taken < options.MaxChunkRecords; next++, taken++)
                {
                    var record = records[next];
                    var size = EstimateBytes(record);
                    if (taken > 0 && bytes + size > options.MaxChunkBytes)
                    {
                        break;
                    }

                    bytes += size;
                    var errors = record is null
                        ? [new RequestError($"records[{next}]", ErrorCodes.InvalidRequest, "a record is required")]
                        : RecordRules.Check(stored.Definition, record, $"records[{next}]");
                    if (errors.Count > 0)
                    {
                        failures.Add(new BatchItemError(next, record?.Id?.Value, errors[0].Code, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}"))));
                        continue;
                    }

                    var engineRecord = new EngineRecord(record!.Id.Value, record.Values.ToArray(), NativeMapper.ToEngine(record.Metadata));
                    if (positions.TryGetValue(engineRecord.Key, out var earlier))
                    {
                        chunk[earlier] = engineRecord;
                    }
                    else
                    {
                        positions.Add(engineRecord.Key, chunk.Count);
                        chunk.Add(engineRecord);
                    }

                    succeeded++;
                }

                if (chunk.Count > 0)
                {
                    var shard = stored.GetOrCreate(ns);
                    foreach (var record in records.Skip(next - taken).Take(taken))
                    {
                        shard.Remember(record?.Metadata);
                    }

                    shard.Engine.UpsertMany(chunk, options.MaxParallelism);
                    stored.Touch(_time.GetUtcNow());
                }

                progress?.Report(new BatchProgress(succeeded, failures.Count, records.Count));
            }

            return new BatchResult(records.Count, succeeded, failures);
        }, cancellationToken);

    public ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<VectorRecord>>("GetMany", index, () =>
        {
            ArgumentNullException.ThrowIfNull(ids);
            var shard = Find(index, "GetMany").Find(ns);
            var found = new List<VectorRecord>(ids.Count);
            if (shard is null)
            {
                return found;
            }

            foreach (var id in ids)
            {
                if (id is not null && shard.Engine.Get(id.Value) is { } record)
                {
                    found.Add(new VectorRecord(id, record.Vector, NativeMapper.ToCore(record.Metadata)));
                }
            }

            return found;
        }, cancellationToken);

    public ValueTask<BatchResult> DeleteManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default) =>
        Run("DeleteMany", index, () =>
        {
            ArgumentNullException.ThrowIfNull(ids);
            var stored = Find(index, "DeleteMany");
            var shard = stored.Find(ns);
            var failures = new List<BatchItemError>();
            var removed = 0;
            for (var i = 0; i < ids.Count; i++)
            {
                if (ids[i] is null)
                {
                    failures.Add(new BatchItemError(i, null, ErrorCodes.InvalidRequest, $"ids[{i}]: an id is required"));
                }
                else if (shard is not null && shard.Engine.Delete(ids[i].Value))
                {
                    removed++;
                }
            }

            if (removed > 0)
            {
                stored.Touch(_time.GetUtcNow());
            }

            return new BatchResult(ids.Count, removed, failures);
        }, cancellationToken);

    public ValueTask<long> DeleteByFilterAsync(IndexName index, FilterExpression filter, Namespace ns = default, CancellationToken cancellationToken = default) =>
        Run("DeleteByFilter", index, () =>
        {
            ArgumentNullException.ThrowIfNull(filter);
            var stored = Find(index, "DeleteByFilter");
            var engineFilter = TranslateFilter(filter)!;
            var shard = stored.Find(ns);
            if (shard is null)
            {
                return 0L;
            }

            long removed = 0;
            foreach (var key in shard.Engine.ListKeys(null, int.MaxValue))
            {
                if (shard.Engine.Get(key) is { } record && engineFilter.Evaluate(record.Metadata) && shard.Engine.Delete(key))
                {
                    removed++;
                }
            }

            if (removed > 0)
            {
                stored.Touch(_time.GetUtcNow());
            }

            return removed;
        }, cancellationToken);

    /// <summary>Drops the namespace's engine index whole, which is cheaper than deleting record by record.</summary>
    public ValueTask<long> DeleteAllAsync(IndexName index, Namespace ns = default, CancellationToken cancellationToken = default) =>
        Run("DeleteAll", index, () =>
        {
            var stored = Find(index, "DeleteAll");
            long removed = stored.Detach(ns)?.Engine.Count ?? 0;
            if (removed > 0)
            {
                stored.Touch(_time.GetUtcNow());
            }

            return removed;
        }, cancellationToken);

    public ValueTask<RecordPage> ListAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default) =>
        Run("List", index, () =>
        {
            ArgumentNullException.ThrowIfNull(request);
            var stored = Find(index, "List");
            var after = request.Cursor is null ? null : DecodeCursor(request.Cursor);
            var filter = TranslateFilter(request.Filter);
            var shard = stored.Find(request.Namespace);
            return shard is null ? new RecordPage([], null) : List(shard, request, after, filter);
        }, cancellationToken);

    public IAsyncEnumerable<VectorRecord> ScanAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(request);
        return Scan(index, request, cancellationToken);
    }

    /// <summary>Nothing to drop: the engine answers every search afresh.</summary>
    public ValueTask InvalidateAsync(IndexName? index = null, CancellationToken cancellationToken = default) =>
        RunVoid("Invalidate", index, static () => { }, cancellationToken);

    /// <summary>All zero: this backend keeps no result cache.</summary>
    public CacheStatistics GetStatistics() => new(Hits: 0, Misses: 0, Entries: 0, Invalidations: 0);

    private static RecordPage List(Shard shard, ListRequest request, string? after, EngineFilter? filter)
    {
        var engine = shard.Engine;
        var needRecord = filter is not null || request.IncludeValues || request.IncludeMetadata;
        var page = new List<VectorRecord>(request.Limit);
        var last = after;
        while (true)
        {
            var batch = filter is null ? request.Limit + 1 : ListScanPage;
            var keys = engine.ListKeys(last, batch);
            foreach (var key in keys)
            {
                last = key;
                EngineRecord? record = null;
                if (needRecord)
                {
                    // Deleted since the key list was taken, or filtered out.
                    record = engine.Get(key);
                    if (record is null || (filter is not null && !filter.Evaluate(record.Metadata)))
                    {
                        continue;
                    }
                }

                if (page.Count == request.Limit)
                {
                    return new RecordPage(page, EncodeCursor(page[^1].Id.Value));
                }

                page.Add(new VectorRecord(
                    VectorId.Parse(key),
                    request.IncludeValues ? record!.Vector : ReadOnlyMemory<float>.Empty,
                    request.IncludeMetadata ? NativeMapper.ToCore(record!.Metadata) : Metadata.Empty));
            }

            if (keys.Count < batch)
            {
                return new RecordPage(page, null);
            }
        }
    }

    private static SearchResult Search(NativeIndex stored, Shard? shard, ReadOnlySpan<float> query, SearchOptions options, EngineFilter? filter, string? excluded, long started)
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

        // One extra for the record a search by id leaves out; at the engine's cap that can cost one match.
        var k = Math.Min(wanted + (excluded is null ? 0 : 1), VectorIndex.MaxK);

        // When k covers every record the scan is exact and costs no more than the graph walk.
        var exact = options.Exact || live <= k;
        var ef = Math.Max(options.Ef ?? stored.Options.DefaultEf, k);
        var hits = engine.Search(query, k, ef, exact, filter);
        var needRecord = options.IncludeValues || options.IncludeMetadata || filter is not null;
        var matches = new List<SearchMatch>(hits.Length);
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

            ReadOnlyMemory<float>? values = null;
            Metadata? metadata = null;
            if (needRecord)
            {
                // A record deleted or rewritten since the walk is dropped rather than returned against the filter.
                var record = engine.Get(hit.Key);
                if (record is null || (filter is not null && !filter.Evaluate(record.Metadata)))
                {
                    continue;
                }

                values = options.IncludeValues ? record.Vector : (ReadOnlyMemory<float>?)null;
                metadata = options.IncludeMetadata ? NativeMapper.ToCore(record.Metadata) : null;
            }

            matches.Add(new SearchMatch(VectorId.Parse(hit.Key), score, distance, values, metadata));
        }

        matches.Sort(SearchResult.Order);
        var page = matches.Skip(options.Offset).Take(options.TopK).ToArray();
        return new SearchResult(page, Approximate: !exact, time.GetElapsedTime(started));
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

    private static void ValidateBatchOptions(BatchOptions options)
    {
        if (options.MaxChunkRecords < 1)
        {
            throw new InvalidRequestException("options.maxChunkRecords", $"must be at least 1, got {options.MaxChunkRecords}");
        }

        if (options.MaxChunkBytes < 1)
        {
            throw new InvalidRequestException("options.maxChunkBytes", $"must be at least 1, got {options.MaxChunkBytes}");
        }

        if (options.MaxParallelism < 1)
        {
            throw new InvalidRequestException("options.maxParallelism", $"must be at least 1, got {options.MaxParallelism}");
        }
    }

    // What the record weighs on the wire: the floats, the id, and the metadata as JSON.
    private static long EstimateBytes(VectorRecord? record) =>
        record is null ? 0 : (record.Values.Length * sizeof(float)) + ((record.Id?.Value.Length ?? 0) * sizeof(char)) + MetadataJson.SerializedSize(record.Metadata ?? Metadata.Empty);


    private static string EncodeCursor(string lastId) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CursorPrefix + lastId));

    private static string DecodeCursor(string cursor)
    {
        string text;
        try
        {
            text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (FormatException)
        {
            throw BadCursor();
        }

        if (!text.StartsWith(CursorPrefix, StringComparison.Ordinal) || !VectorId.TryParse(text[CursorPrefix.Length..], out var id, out _))
        {
            throw BadCursor();
        }

        return id.Value;

        static InvalidRequestException BadCursor() =>
            new("cursor", "is not a cursor this backend returned") { SystemName = NativeConstants.SystemName, Operation = "List" };
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

    private async IAsyncEnumerable<VectorRecord> Scan(IndexName index, ListRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var page = await ListAsync(index, request, cancellationToken).ConfigureAwait(false);
        while (true)
        {
            foreach (var record in page.Records)
            {
                yield return record;
            }

            if (page.NextCursor is null)
            {
                yield break;
            }

            page = await ListAsync(index, request with { Cursor = page.NextCursor }, cancellationToken).ConfigureAwait(false);
        }
    }

    private NativeIndex Find(IndexName index, string operation)
    {
        ArgumentNullException.ThrowIfNull(index);
        return _indexes.TryGetValue(index.Value, out var stored) ? stored : throw NotFound(index, operation);
    }

    /// <summary>One Core index: its definition, times, and an engine index per namespace that has been written to.</summary>
    private sealed class NativeIndex(IndexDefinition definition, NativeOptions options, TimeProvider time)
    {
        private static readonly DateTimeOffset Never = DateTimeOffset.MinValue;

        private readonly ConcurrentDictionary<Namespace, Shard> _shards = new();
        private readonly Lock _createGate = new();
        private long _updatedTicks = Never.UtcTicks;

        public IndexDefinition Definition { get; } = definition;

        public VectorIndexOptions Options { get; } = NativeMapper.ToEngineOptions(definition, options);

        public DateTimeOffset CreatedAt { get; } = time.GetUtcNow();

        public DateTimeOffset UpdatedAt
        {
            get
            {
                var ticks = Interlocked.Read(ref _updatedTicks);
                return ticks == Never.UtcTicks ? CreatedAt : new DateTimeOffset(ticks, TimeSpan.Zero);
            }
        }

        public TimeProvider Time { get; } = time;

        public long Count => _shards.Values.Sum(static s => (long)s.Engine.Count);

        public Shard? Find(Namespace ns) => _shards.TryGetValue(ns, out var shard) ? shard : null;

        // Creation takes a lock so two first writers never build two engines; reads never take it.
        public Shard GetOrCreate(Namespace ns)
        {
            if (_shards.TryGetValue(ns, out var shard))
            {
                return shard;
            }

            lock (_createGate)
            {
                return _shards.GetOrAdd(ns, _ => new Shard(new VectorIndex(Options)));
            }
        }

        public Shard? Detach(Namespace ns) => _shards.TryRemove(ns, out var shard) ? shard : null;

        public void Touch(DateTimeOffset now)
        {
            var ticks = now.UtcTicks;
            var seen = Interlocked.Read(ref _updatedTicks);
            while (ticks > seen)
            {
                var previous = Interlocked.CompareExchange(ref _updatedTicks, ticks, seen);
                if (previous == seen)
                {
                    return;
                }

                seen = previous;
            }
        }

        public IndexInfo Describe() => new(Definition, Count, CreatedAt, UpdatedAt);

        public IndexStats Stats()
        {
            var fields = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var namespaces = new SortedDictionary<string, long>(StringComparer.Ordinal);
            var memory = IndexOverheadBytes;
            foreach (var (ns, shard) in _shards)
            {
                memory += shard.Engine.MemoryBytes + NamespaceOverheadBytes + (shard.ListFieldCount * ListFieldOverheadBytes);
                var count = shard.Engine.Count;
                if (count == 0)
                {
                    continue;
                }

                namespaces[ns.Value] = count;
                shard.CountFields(fields);
            }

            return new IndexStats(namespaces.Values.Sum(), Definition.Dimension, Definition.Metric, memory, fields, namespaces, CreatedAt, UpdatedAt);
        }
    }

    /// <summary>One namespace's engine index, and the metadata fields that have ever held a list there.</summary>
    private sealed class Shard(VectorIndex engine)
    {
        private readonly ConcurrentDictionary<string, byte> _listFields = new(StringComparer.Ordinal);

        public VectorIndex Engine { get; } = engine;

        public int ListFieldCount => _listFields.Count;

        // Noted before the write, so a field that holds a list is never counted by the value-count shortcut.
        public void Remember(Metadata? metadata)
        {
            if (metadata is null)
            {
                return;
            }

            foreach (var (key, value) in metadata)
            {
                if (value.Kind == MetadataValueKind.StringList)
                {
                    _listFields.TryAdd(key, 0);
                }
            }
        }

        /// <summary>
        /// Adds, per field, the records that have it. The engine counts values, not records: exact for scalar fields
        /// (one value per record), but a list adds one per element and an empty list none, so fields that have held a
        /// list are counted by reading the records.
        /// </summary>
        public void CountFields(SortedDictionary<string, long> fields)
        {
            foreach (var (field, values) in Engine.GetMetadataValueCounts())
            {
                if (!_listFields.ContainsKey(field))
                {
                    fields[field] = fields.GetValueOrDefault(field) + values.Values.Sum(static c => (long)c);
                }
            }

            if (_listFields.IsEmpty)
            {
                return;
            }

            var listFields = _listFields.Keys.ToArray();
            foreach (var key in Engine.ListKeys(null, int.MaxValue))
            {
                if (Engine.Get(key) is not { } record)
                {
                    continue;
                }

                foreach (var field in listFields)
                {
                    if (record.Metadata.ContainsKey(field))
                    {
                        fields[field] = fields.GetValueOrDefault(field) + 1;
                    }
                }
            }
        }
    }
}
