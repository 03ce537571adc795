using System.Diagnostics;
using System.Numerics.Tensors;
using Theodore.Engine.Distances;
using Theodore.Engine.Graph;

namespace Theodore.Engine;

/// <summary>
/// An in-memory HNSW index with string keys and metadata. Thread-safe: any number of searches run
/// alongside any number of writers; compaction shuts writers out briefly but never searches.
/// Distances are documented on <see cref="SearchHit"/>.
/// </summary>
public sealed unsafe partial class VectorIndex
{
    public const int MaxKeyLength = 512;
    public const int MaxK = 10_000;
    private const int MaxSearchAttempts = 4;
    private const int SpareLimit = 64;

    private static readonly IReadOnlyDictionary<string, EngineValue> EmptyMetadata = new Dictionary<string, EngineValue>(StringComparer.Ordinal);

    // Replaced only by an online rebuild's swap, together with the state, with the writer gate closed.
    private VectorIndexOptions _options;
    private readonly SearchContextPool _pool = new();
    private readonly WriterGate _gate = new();
    private readonly Lock _compactLock = new();
    private IndexState _state;
    private long _version;
    private int _generation;
    private KeySnapshot? _sortedKeys;
    private int _repairedAt;
    private int _repairing;

    public VectorIndex(VectorIndexOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate(nameof(options));
        _options = options.WithRerankFactorResolved();
        _state = new IndexState(_options, options.Seed);
    }

    public VectorIndexOptions Options => Volatile.Read(ref _options);

    public int Dimension => _options.Dimension;

    public DistanceMetric Metric => _options.Metric;

    /// <summary>Records stored and not soft-deleted (expired ones included until swept: that depends on <see cref="Clock"/>).</summary>
    public int Count => Volatile.Read(ref _state).UndeletedCount;

    /// <summary>Deleted or replaced records still in the graph, waiting for compaction.</summary>
    public int TombstoneCount => Volatile.Read(ref _state).Tombstones;

    /// <summary>Total of <see cref="GetMemoryUsage"/>.</summary>
    public long MemoryBytes => GetMemoryUsage().TotalBytes;

    public MemoryUsage GetMemoryUsage() => Volatile.Read(ref _state).Memory();

    /// <summary>
    /// Upper bound on the bytes <see cref="MemoryBytes"/> grows by when <paramref name="records"/> records with keys
    /// of <paramref name="keyChars"/> characters in all are upserted now, metadata aside: whole chunks where the
    /// allocated ones run out, the expected upper layers, codes and keys. Cheap (no locks); a memory budget checks it
    /// before a write is logged.
    /// </summary>
    public long EstimateInsertBytes(int records, long keyChars) => Volatile.Read(ref _state).GrowthBytes(records, keyChars);

    /// <summary>As <see cref="EstimateInsertBytes(int, long)"/> for an index with <paramref name="options"/> that does not exist yet.</summary>
    public static long EstimateInsertBytes(VectorIndexOptions options, int records, long keyChars)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new IndexState(options, options.Seed).GrowthBytes(records, keyChars);
    }

    /// <summary>Whether this index's graph is built on 8-bit codes of its vectors (see <c>ScalarCodes</c>).</summary>
    internal bool BuildsOnCodes => Volatile.Read(ref _state).HasCodes;

    /// <summary>Bytes of build codes held now (0 at rest).</summary>
    internal long CodeBytes => Volatile.Read(ref _state).CodeBytes;

    /// <summary>Inserts a record, or replaces the vector and metadata of an existing key.</summary>
    public void Upsert(string key, ReadOnlySpan<float> vector, IReadOnlyDictionary<string, EngineValue>? metadata = null)
    {
        ValidateKey(key);
        ValidateVector(vector, nameof(vector));
        var stored = CopyMetadata(metadata);
        ThrowIfLinkingFailed();
        _gate.Enter();
        try
        {
            var st = Volatile.Read(ref _state);
            var ctx = _pool.Rent();
            try
            {
                AppendRecord(st, key, vector, stored, ctx);
                NoteWritten(key);
                if (!BackgroundLinks)
                {
                    LinkBacklog(st, ctx, Volatile.Read(ref _maxPendingLinks));
                }
            }
            finally
            {
                _pool.Return(ctx);
            }

            MaybeRepair(st);
        }
        finally
        {
            _gate.Exit();
        }

        StartLinker();
        AwaitBacklog();
        MaybeCompact();
        MaybeReleaseCodes();
    }

    /// <summary>
    /// Upserts a batch; every record is validated before any is stored. Large batches are linked into the graph
    /// by up to <paramref name="maxDegreeOfParallelism"/> threads (0: one per core); with
    /// <see cref="MaxPendingLinks"/> set, up to that many are left to the background linker.
    /// </summary>
    public void UpsertMany(IReadOnlyList<EngineRecord> records, int maxDegreeOfParallelism = 0)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentOutOfRangeException.ThrowIfNegative(maxDegreeOfParallelism);
        var metadata = new IReadOnlyDictionary<string, EngineValue>[records.Count];
        for (int i = 0; i < records.Count; i++)
        {
            var record = records[i] ?? throw new ArgumentException($"Record {i} is null.", nameof(records));
            ValidateKey(record.Key);
            ValidateVector(record.Vector.Span, nameof(records));
            metadata[i] = CopyMetadata(record.Metadata);
        }

        int threads = maxDegreeOfParallelism == 0 ? Environment.ProcessorCount : maxDegreeOfParallelism;
        ThrowIfLinkingFailed();
        _gate.Enter();
        try
        {
            var st = Volatile.Read(ref _state);
            var ctx = _pool.Rent();
            try
            {
                for (int i = 0; i < records.Count; i++)
                {
                    AppendRecord(st, records[i].Key, records[i].Vector.Span, metadata[i], ctx, StateOf(records[i]));
                    NoteWritten(records[i].Key);
                }
            }
            finally
            {
                _pool.Return(ctx);
            }

            int keep = Volatile.Read(ref _maxPendingLinks);
            if (st.Unclaimed - keep < _options.ParallelBatchThreshold)
            {
                threads = 1;
            }

            if (!BackgroundLinks)
            {
                RunWorkers(threads, ctx => LinkBacklog(st, ctx, keep));
                MaybeRepair(st);
            }
        }
        finally
        {
            _gate.Exit();
        }

        StartLinker();
        AwaitBacklog();
        MaybeCompact();
        MaybeReleaseCodes();
    }

    /// <summary>Removes a record; false when the key is unknown. Its slot is skipped by every later search.</summary>
    public bool Delete(string key)
    {
        ValidateKey(key);
        bool removed;
        _gate.Enter();
        try
        {
            removed = Volatile.Read(ref _state).Delete(key);
            if (removed)
            {
                Interlocked.Increment(ref _version);
                NoteWritten(key);
            }
        }
        finally
        {
            _gate.Exit();
        }

        MaybeCompact();
        return removed;
    }

    public bool Contains(string key)
    {
        ValidateKey(key);
        return Volatile.Read(ref _state).TryGetSlot(key, out _);
    }

    /// <summary>
    /// The stored record (for Cosine, the normalized vector), or null; a soft-deleted one only with
    /// <paramref name="includeDeleted"/> (with <see cref="EngineRecord.DeletedAt"/> set), an expired one never.
    /// </summary>
    public EngineRecord? Get(string key, bool includeDeleted = false)
    {
        ValidateKey(key);
        var st = Volatile.Read(ref _state);
        if (!st.TryGetSlot(key, out int slot))
        {
            return null;
        }

        var state = st.StateOf(slot);
        if ((state.DeletedAt != 0 && !includeDeleted) || (state.ExpiresAt != 0 && state.ExpiresAt <= _clock.GetUtcNow().UtcTicks))
        {
            return null;
        }

        return ReadRecord(st, key, slot, state);
    }

    /// <summary>
    /// The k nearest live records passing <paramref name="filter"/>, ordered by distance, then key
    /// (ordinal). <paramref name="ef"/> widens the graph search (default
    /// <see cref="VectorIndexOptions.DefaultEf"/>, at least k); <paramref name="exact"/> scans
    /// every record instead. Filtered searches estimate how many records match and scan those
    /// exactly when there are few, so the filter is always honoured exactly. Each hit carries its
    /// metadata, and a copy of its vector when <paramref name="withVectors"/> is set. On a quantized
    /// index <paramref name="rerankFactor"/> (1-<see cref="VectorIndexOptions.MaxRerankFactor"/>)
    /// replaces the index's <see cref="VectorIndexOptions.RerankFactor"/> for this search: the best
    /// factor x k candidates by code distance, at most ef, are reranked on the floats; elsewhere it
    /// has nothing to rerank and changes nothing. A cancelled <paramref name="cancellationToken"/>
    /// stops the walk or the scan within tens of microseconds with
    /// <see cref="OperationCanceledException"/> (a deadline, or a caller that went away).
    /// </summary>
    public SearchHit[] Search(ReadOnlySpan<float> query, int k, int? ef = null, bool exact = false, EngineFilter? filter = null, bool withVectors = false, int? rerankFactor = null, CancellationToken cancellationToken = default)
    {
        ValidateVector(query, nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, MaxK);
        if (ef is { } e)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(e, 1, nameof(ef));
        }

        if (rerankFactor is { } factor)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(factor, 1, nameof(rerankFactor));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(factor, VectorIndexOptions.MaxRerankFactor, nameof(rerankFactor));
        }

        cancellationToken.ThrowIfCancellationRequested();
        var st = Volatile.Read(ref _state);
        var ctx = _pool.Rent();
        try
        {
            float* q = ctx.LoadQuery(query, st.Stride);
            if (_options.Metric == DistanceMetric.Cosine)
            {
                var span = new Span<float>(q, st.Dimension);
                TensorPrimitives.Divide(span, TensorPrimitives.Norm(span), span);
            }

            int width = ef ?? _options.DefaultEf;
            int want = k;
            long started = Stopwatch.GetTimestamp();
            ctx.Distances = 0;
            ctx.WalkedGraph = false;
            ctx.ScannedExactly = false;
            for (int attempt = 1; ; attempt++)
            {
                int found = _options.Metric switch
                {
                    DistanceMetric.Cosine => SearchCore<CosineDistance>(st, q, want, width, exact, filter, rerankFactor, ctx, cancellationToken),
                    DistanceMetric.Euclidean => SearchCore<SquaredL2Distance>(st, q, want, width, exact, filter, rerankFactor, ctx, cancellationToken),
                    DistanceMetric.DotProduct => SearchCore<NegativeDotDistance>(st, q, want, width, exact, filter, rerankFactor, ctx, cancellationToken),
                    _ => SearchCore<L1Distance>(st, q, want, width, exact, filter, rerankFactor, ctx, cancellationToken),
                };

                // A hit deleted while the search ran is dropped. Searching again, for more than k so the spares can
                // stand in for hits deleted during that attempt too, keeps a racing delete from leaving the answer
                // short (TICKET-004). A search that found fewer than it asked for has seen every live candidate.
                var hits = ToHits(st, ctx, found, withVectors);
                if (hits.Length >= k || found < want || attempt == MaxSearchAttempts)
                {
                    _searchStatistics.Record(ctx, Math.Max(width, k), Stopwatch.GetElapsedTime(started));
                    return hits.Length > k ? hits[..k] : hits;
                }

                want = Math.Min(MaxK + SpareLimit, want + (2 * (found - hits.Length)) + 2);
                st = Volatile.Read(ref _state);
            }
        }
        finally
        {
            _pool.Return(ctx);
        }
    }

    /// <summary>
    /// Up to <paramref name="limit"/> keys in ordinal order, starting after <paramref name="afterKey"/>
    /// (null: from the start), optionally only those whose metadata passes <paramref name="filter"/>
    /// (for filtered scans and delete-by-filter). The last key returned is the next cursor. Soft-deleted records are
    /// listed only with <paramref name="includeDeleted"/>, expired ones never.
    /// </summary>
    public IReadOnlyList<string> ListKeys(string? afterKey, int limit, EngineFilter? filter = null, bool includeDeleted = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        long version = Volatile.Read(ref _version);
        var snapshot = Volatile.Read(ref _sortedKeys);
        if (snapshot is null || snapshot.Version != version)
        {
            var keys = Volatile.Read(ref _state).SnapshotKeys();
            Array.Sort(keys, StringComparer.Ordinal);
            snapshot = new KeySnapshot(version, keys);
            Volatile.Write(ref _sortedKeys, snapshot);
        }

        var sorted = snapshot.Keys;
        int start = 0;
        if (afterKey is not null)
        {
            int index = Array.BinarySearch(sorted, afterKey, StringComparer.Ordinal);
            start = index >= 0 ? index + 1 : ~index;
        }

        var st = Volatile.Read(ref _state);
        bool hidden = (st.SoftDeleted > 0 && !includeDeleted) || st.Expiring > 0;
        if (filter is null && !hidden)
        {
            int end = (int)Math.Min(sorted.Length, (long)start + limit);
            return sorted[start..end];
        }

        long now = st.Expiring > 0 ? _clock.GetUtcNow().UtcTicks : 0;
        var page = new List<string>(Math.Min(limit, 1024));
        for (int i = start; i < sorted.Length && page.Count < limit; i++)
        {
            if (!st.TryGetSlot(sorted[i], out int slot)
                || (!includeDeleted && st.IsSoftDeleted(slot))
                || (now != 0 && st.IsExpired(slot, now)))
            {
                continue;
            }

            if (filter is null || filter.Matches(st.MetadataOf(slot)))
            {
                page.Add(sorted[i]);
            }
        }

        return page;
    }

    /// <summary>Per metadata field, how many live records hold each value (list elements count separately).</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<EngineValue, int>> GetMetadataValueCounts()
    {
        var meta = Volatile.Read(ref _state).Metadata;
        lock (meta.Gate)
        {
            return meta.ValueCounts();
        }
    }

    /// <summary>
    /// Copies the live records into a new graph without tombstones, re-linking the neighbours of
    /// deleted nodes through the deleted nodes' own neighbours. Writers wait; searches keep using
    /// the previous graph until the new one is swapped in. Runs on its own when tombstones pass
    /// <see cref="VectorIndexOptions.CompactionThreshold"/>.
    /// </summary>
    public void Compact()
    {
        lock (_compactLock)
        {
            CompactLocked();
        }
    }

    /// <summary>
    /// Links any live record the graph walk cannot reach (see the HNSW notes in the engine's
    /// README); runs on its own after bulk inserts and as the index grows. Returns how many
    /// unreachable groups were linked.
    /// </summary>
    public int RepairGraph()
    {
        _gate.Enter();
        try
        {
            return RepairLocked(Volatile.Read(ref _state));
        }
        finally
        {
            _gate.Exit();
        }
    }

    private int RepairLocked(IndexState st)
    {
        if (Interlocked.Exchange(ref _repairing, 1) == 1)
        {
            return 0;
        }

        var ctx = _pool.Rent();
        try
        {
            Volatile.Write(ref _repairedAt, st.Linked);
            Volatile.Write(ref _refinedSinceRepair, 0);
            return _options.Metric switch
            {
                DistanceMetric.Cosine => Hnsw<CosineDistance>.RepairReachability(st, ctx),
                DistanceMetric.Euclidean => Hnsw<SquaredL2Distance>.RepairReachability(st, ctx),
                DistanceMetric.DotProduct => Hnsw<NegativeDotDistance>.RepairReachability(st, ctx),
                _ => Hnsw<L1Distance>.RepairReachability(st, ctx),
            };
        }
        finally
        {
            _pool.Return(ctx);
            Volatile.Write(ref _repairing, 0);
        }
    }

    // A flood fill costs one pass over the layer-0 links, so repeating it every 1/8 growth is cheap. Refined nodes
    // count as growth (their neighbours' lists were re-pruned), and the last refinement of a run repairs at once.
    private void MaybeRepair(IndexState st)
    {
        int count = st.Linked;
        int last = Volatile.Read(ref _repairedAt);
        int refined = Volatile.Read(ref _refinedSinceRepair);
        if (count - last + refined >= Math.Max(256, last / 8) || (refined > 0 && st.Coarse == 0))
        {
            RepairLocked(st);
        }
    }

    private void MaybeCompact()
    {
        var st = Volatile.Read(ref _state);
        int tombstones = st.Tombstones;
        if (tombstones < Math.Max(1, _options.CompactionMinimumTombstones) || tombstones <= _options.CompactionThreshold * st.Count)
        {
            return;
        }

        if (_compactLock.TryEnter())
        {
            try
            {
                CompactLocked();
            }
            finally
            {
                _compactLock.Exit();
            }
        }
    }

    private void CompactLocked()
    {
        var old = CloseGateAllLinked();
        try
        {
            if (old.Tombstones == 0)
            {
                return;
            }

            int seed = _options.Seed + ++_generation;
            int threads = Environment.ProcessorCount;
            var fresh = _options.Metric switch
            {
                DistanceMetric.Cosine => Compactor<CosineDistance>.Compact(old, _options, seed, threads),
                DistanceMetric.Euclidean => Compactor<SquaredL2Distance>.Compact(old, _options, seed, threads),
                DistanceMetric.DotProduct => Compactor<NegativeDotDistance>.Compact(old, _options, seed, threads),
                _ => Compactor<L1Distance>.Compact(old, _options, seed, threads),
            };
            RepairLocked(fresh);
            Volatile.Write(ref _state, fresh);
            Interlocked.Increment(ref _version);
        }
        finally
        {
            _gate.Open();
        }

        // Coarse links carried over by the compaction are refined in the new state.
        StartLinker();
    }

    private void AppendRecord(IndexState st, string key, ReadOnlySpan<float> vector, IReadOnlyDictionary<string, EngineValue> metadata, SearchContext ctx, SlotState state = default)
    {
        if (_options.Metric == DistanceMetric.Cosine)
        {
            var normalized = new Span<float>(ctx.LoadQuery(vector, st.Stride), st.Dimension);
            TensorPrimitives.Divide(normalized, TensorPrimitives.Norm(normalized), normalized);
            vector = normalized;
        }

        st.Allocate(key, vector, metadata, -1, state, out _);
        Interlocked.Increment(ref _version);
    }

    private int SearchCore<TMetric>(IndexState st, float* q, int k, int ef, bool exact, EngineFilter? filter, int? rerankFactor, SearchContext ctx, CancellationToken cancellationToken)
        where TMetric : struct, IDistance
    {
        // Read before the walk: records stored but not linked yet are scanned exactly and merged in.
        int linked = st.Linked;
        int stored = st.Count;
        long now = st.Expiring > 0 ? _clock.GetUtcNow().UtcTicks : 0;
        List<int>? candidates = null;
        ctx.FilterFraction = 1;
        if (filter is not null)
        {
            var meta = st.Metadata;
            lock (meta.Gate)
            {
                var plan = PlanFilter(meta, filter, exact);
                exact = plan.Exact;
                ctx.FilterFraction = plan.Fraction;

                // Postings name the candidates: the exact path scans only them, the graph path tags them.
                if (plan.Collect)
                {
                    candidates = ctx.CandidateList;
                    candidates.Clear();
                    if (!filter.TryCollect(meta, candidates))
                    {
                        candidates = null;
                    }
                }
            }
        }

        var slotFilter = new SlotFilter(filter, null, 0, false, now);
        if (!exact)
        {
            if (candidates is not null)
            {
                ctx.NewMatchSet(st.Capacity);
                var tags = ctx.MatchTags;
                int generation = ctx.MatchGeneration;
                foreach (int slot in candidates)
                {
                    tags[slot] = generation;
                }

                slotFilter = new SlotFilter(filter, tags, generation, filter!.CollectsExactly, now);
            }

            ctx.WalkedGraph = true;
            int found = st.Quantized
                ? SearchQuantized(st, q, k, ef, rerankFactor, slotFilter, ctx, cancellationToken)
                : Hnsw<TMetric>.Search(st, q, k, ef, slotFilter, ctx, cancellationToken);
            if (linked < stored)
            {
                ctx.ScannedExactly = true;
                found = Hnsw<TMetric>.MergeUnlinked(st, q, k, found, linked, stored, slotFilter, ctx, cancellationToken);
            }

            // A graph cut off by tombstones or a filter can come back short; the scan never does. The live count is
            // read under the allocation lock: Count - Tombstones dips by one inside a replace.
            if (found == k || found >= st.UndeletedCount)
            {
                return found;
            }

            ctx.ScannedExactly = true;
            slotFilter = new SlotFilter(filter, null, 0, false, now);
        }

        if (candidates is not null && filter!.CollectsExactly)
        {
            slotFilter = new SlotFilter(null, null, 0, false, now);
        }

        ctx.ScannedExactly = true;

        return Hnsw<TMetric>.Exact(st, q, k, slotFilter, candidates, ctx, cancellationToken);
    }

    private SearchHit[] ToHits(IndexState st, SearchContext ctx, int found, bool withVectors)
    {
        var hits = new SearchHit[found];
        int n = 0;
        for (int i = 0; i < found; i++)
        {
            int slot = ctx.SortedSlots[i];
            if (st.IsDeleted(slot))
            {
                continue;
            }

            float d = ctx.SortedDistances[i];
            d = _options.Metric switch
            {
                DistanceMetric.Euclidean => MathF.Sqrt(d),
                DistanceMetric.Cosine => Math.Max(0f, d),
                _ => d,
            };
            hits[n++] = new SearchHit(st.Key(slot), d)
            {
                Metadata = st.MetadataOf(slot),
                Vector = withVectors ? new ReadOnlySpan<float>(st.Vector(slot), st.Dimension).ToArray() : (ReadOnlyMemory<float>?)null,
            };
        }

        if (n != hits.Length)
        {
            Array.Resize(ref hits, n);
        }

        Array.Sort(hits, HitOrder.Instance);
        return hits;
    }

    private void ValidateVector(ReadOnlySpan<float> vector, string parameter)
    {
        if (vector.Length != _options.Dimension)
        {
            throw new ArgumentException($"Expected a vector of dimension {_options.Dimension}, got {vector.Length}.", parameter);
        }

        if (!TensorPrimitives.IsFiniteAll(vector))
        {
            throw new ArgumentException("Vectors must contain finite numbers only (no NaN or infinity).", parameter);
        }

        if (_options.Metric == DistanceMetric.Cosine && TensorPrimitives.Norm(vector) == 0)
        {
            throw new ArgumentException("A zero vector has no direction; Cosine cannot rank it.", parameter);
        }
    }

    private static void ValidateKey(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length is 0 or > MaxKeyLength)
        {
            throw new ArgumentException($"Keys are 1-{MaxKeyLength} characters.", nameof(key));
        }
    }

    private static IReadOnlyDictionary<string, EngineValue> CopyMetadata(IReadOnlyDictionary<string, EngineValue>? metadata)
    {
        if (metadata is null || metadata.Count == 0)
        {
            return EmptyMetadata;
        }

        var copy = new Dictionary<string, EngineValue>(metadata.Count, StringComparer.Ordinal);
        foreach (var (field, value) in metadata)
        {
            if (string.IsNullOrEmpty(field))
            {
                throw new ArgumentException("Metadata field names must not be empty.", nameof(metadata));
            }

            if (value.IsMissing)
            {
                throw new ArgumentException($"Metadata field '{field}' has no value (default EngineValue).", nameof(metadata));
            }

            copy.Add(field, value);
        }

        return copy;
    }

    private sealed class HitOrder : IComparer<SearchHit>
    {
        public static readonly HitOrder Instance = new();

        public int Compare(SearchHit x, SearchHit y)
        {
            int byDistance = x.Distance.CompareTo(y.Distance);
            return byDistance != 0 ? byDistance : string.CompareOrdinal(x.Key, y.Key);
        }
    }

    private sealed record KeySnapshot(long Version, string[] Keys);
}
