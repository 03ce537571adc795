using System.Collections.Concurrent;
using Theodore.Adapters.Native.Persistence;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Engine;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native;

/// <summary>
/// One Core index: its definition, times, an engine index per namespace that has been written to, and, when storage is
/// durable, its journal. A durable write logs first and applies after, both under the journal's writer gate.
/// </summary>
internal sealed partial class NativeIndex(IndexDefinition definition, NativeOptions options, TimeProvider time, DateTimeOffset createdAt, IndexJournal? journal)
{
    // Rough bytes the adapter itself holds besides the engine: an index's catalogue entry and definition,
    // a namespace's dictionary entry and bookkeeping, and one remembered list-valued field name.
    private const long IndexOverheadBytes = 1024;
    private const long NamespaceOverheadBytes = 512;
    private const long ListFieldOverheadBytes = 96;

    private static readonly DateTimeOffset Never = DateTimeOffset.MinValue;

    private readonly ConcurrentDictionary<Namespace, Shard> _shards = new();
    private readonly Lock _createGate = new();
    private long _updatedTicks = Never.UtcTicks;

    // Both change only when an online rebuild swaps its graphs in (NativeIndex.Rebuild.cs).
    public IndexDefinition Definition { get; private set; } = definition;

    public VectorIndexOptions Options { get; private set; } = NativeMapper.ToEngineOptions(definition, options);

    public DateTimeOffset CreatedAt { get; } = createdAt;

    public IndexJournal? Journal { get; } = journal;

    /// <summary>Serializes mixed batches in memory, where there is no journal gate (a batch checks, then applies).</summary>
    public Lock OperationsGate { get; } = new();

    public bool IsDeleted { get; private set; }

    public DateTimeOffset UpdatedAt
    {
        get
        {
            var ticks = Interlocked.Read(ref _updatedTicks);
            return ticks == Never.UtcTicks ? CreatedAt : new DateTimeOffset(ticks, TimeSpan.Zero);
        }
    }

    public TimeProvider Time { get; } = time;

    /// <summary>Visible records: not soft-deleted, not expired.</summary>
    public long Count => _shards.Values.Sum(static s => (long)s.Engine.Count - s.Engine.CountExpired());

    public Shard? Find(Namespace ns) => _shards.TryGetValue(ns, out var shard) ? shard : null;

    public IEnumerable<KeyValuePair<Namespace, Shard>> Shards => _shards;

    // Creation takes a lock so two first writers never build two engines; reads never take it.
    public Shard GetOrCreate(Namespace ns)
    {
        if (_shards.TryGetValue(ns, out var shard))
        {
            return shard;
        }

        lock (_createGate)
        {
            return _shards.GetOrAdd(ns, _ => new Shard(NewEngine()));
        }
    }

    public Shard? Detach(Namespace ns)
    {
        if (!_shards.TryRemove(ns, out var shard))
        {
            return null;
        }

        shard.Engine.StopLinker();
        return shard;
    }

    /// <summary>Stops the engines' background linking: the index is being dropped or the storage closed.</summary>
    public void StopLinking()
    {
        CancelRebuild();
        foreach (var shard in _shards.Values)
        {
            shard.Engine.StopLinker();
        }
    }

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

    /// <summary>Estimated bytes the index holds: its engines' allocated memory and the adapter's bookkeeping. Cheap.</summary>
    public long MemoryBytes
    {
        get
        {
            var memory = IndexOverheadBytes;
            foreach (var shard in _shards.Values)
            {
                memory += shard.Engine.MemoryBytes + NamespaceOverheadBytes + (shard.ListFieldCount * ListFieldOverheadBytes);
            }

            return memory;
        }
    }

    /// <summary>
    /// Upper bound on what <see cref="MemoryBytes"/> grows by when <paramref name="records"/> records with keys of
    /// <paramref name="keyChars"/> characters are upserted into <paramref name="ns"/>, metadata aside.
    /// </summary>
    public long EstimateInsertBytes(Namespace ns, int records, long keyChars) =>
        Find(ns) is { } shard
            ? shard.Engine.EstimateInsertBytes(records, keyChars)
            : VectorIndex.EstimateInsertBytes(Options, records, keyChars) + NamespaceOverheadBytes;

    public IndexInfo Describe() => new(Definition, Count, CreatedAt, UpdatedAt);

    public IndexStats Stats()
    {
        var fields = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var namespaces = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long unindexed = 0, softDeleted = 0, expired = 0;
        foreach (var (ns, shard) in _shards)
        {
            unindexed += shard.Engine.PendingLinks;
            var expiredHere = shard.Engine.CountExpired();
            var count = shard.Engine.Count - expiredHere;
            softDeleted += shard.Engine.SoftDeletedCount;
            expired += expiredHere;
            if (count == 0)
            {
                continue;
            }

            namespaces[ns.Value] = count;
            shard.CountFields(fields);
        }

        return new IndexStats(namespaces.Values.Sum(), Definition.Dimension, Definition.Metric, MemoryBytes, fields, namespaces, CreatedAt, UpdatedAt)
        {
            UnindexedVectors = unindexed,
            SoftDeletedVectors = softDeleted,
            ExpiredVectors = expired,
            Rebuild = GetRebuildStatus(),
        };
    }

    /// <summary>What the last <see cref="Load"/> did: graphs taken from the snapshot as they were, graphs built, records inserted.</summary>
    public IndexLoadReport? LoadReport { get; private set; }

    /// <summary>
    /// Installs the recovered namespaces: a graph from the snapshot is used as loaded, then the log's net changes are
    /// applied to it (deletes, then one parallel insert); a namespace without a graph is built from its records.
    /// </summary>
    public void Load(IndexRecovery recovery)
    {
        int loaded = 0, built = 0;
        long inserted = 0;
        foreach (var (ns, recovered) in recovery.Namespaces)
        {
            var engine = recovered.Graph;
            if (engine is not null && engine.Options != Options)
            {
                // Tunables changed since the snapshot (e.g. the default ef): rebuild so the index runs on today's options.
                engine = Rebuild(engine, recovered);
                inserted += engine.Count;
                built++;
            }
            else if (engine is not null)
            {
                engine.MaxPendingLinks = options.MaxUnindexedVectors;
                engine.Clock = Time;
                loaded++;
            }
            else
            {
                built++;
            }

            engine ??= NewEngine();
            var shard = new Shard(engine);
            shard.RememberListFields(recovered.ListFields);
            var batch = new List<EngineRecord>();
            foreach (var (id, change) in recovered.Changes)
            {
                if (change is null)
                {
                    engine.Delete(id);
                    continue;
                }

                shard.Remember(change.Metadata);
                batch.Add(new EngineRecord(change.Id, change.Values, NativeMapper.ToEngine(change.Metadata)) { ExpiresAt = change.ExpiresAt, DeletedAt = change.DeletedAt });
            }

            if (batch.Count > 0)
            {
                engine.UpsertMany(batch);
                inserted += batch.Count;
            }

            if (shard.HasRecords)
            {
                _shards[ns] = shard;
            }
        }

        LoadReport = new IndexLoadReport(loaded, built, inserted);
        if (recovery.UpdatedAt > CreatedAt)
        {
            Touch(recovery.UpdatedAt);
        }
    }

    private VectorIndex NewEngine() => new(Options) { MaxPendingLinks = options.MaxUnindexedVectors, Clock = Time };

    private VectorIndex Rebuild(VectorIndex loaded, RecoveredNamespace recovered)
    {
        var fresh = NewEngine();
        var batch = new List<EngineRecord>(loaded.Count);
        // Soft-deleted records come along with their state; expired ones are gone for good and stay behind.
        loaded.Clock = Time;
        foreach (var key in loaded.ListKeys(null, int.MaxValue, includeDeleted: true))
        {
            if (!recovered.Changes.ContainsKey(key) && loaded.GetStored(key) is { } record)
            {
                batch.Add(record);
            }
        }

        fresh.UpsertMany(batch);
        return fresh;
    }

    /// <summary>
    /// Runs one change. In memory only, <paramref name="prepare"/> is asked for no payload and its apply runs at once.
    /// Durably, under the writer gate: prepare (it may read the index, e.g. to resolve a filter), log the payload and
    /// wait until it is durable, then apply. A change with nothing to log is applied without logging.
    /// </summary>
    public async ValueTask<T> WriteAsync<T>(string operation, Func<bool, PendingWrite<T>> prepare, CancellationToken cancellationToken)
    {
        if (Journal is null)
        {
            return prepare(false).Apply();
        }

        if (Journal.IsFailed)
        {
            throw IndexJournal.WritesStopped(Definition.Name.Value, operation, Journal.FailureReason ?? "the log failed");
        }

        await Journal.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        T result;
        try
        {
            if (IsDeleted)
            {
                throw new IndexNotFoundException(Definition.Name.Value) { SystemName = NativeConstants.SystemName, Operation = operation };
            }

            var pending = prepare(true);
            if (pending.Payload is { } payload)
            {
                // Not cancellable: once logged, the change must reach memory before the gate opens.
                await Journal.AppendAsync(pending.Type, payload, Definition.Name.Value, operation).ConfigureAwait(false);
            }

            result = pending.Apply();
        }
        finally
        {
            Journal.Gate.Release();
        }

        Journal.MaybeCheckpoint(SnapshotAsync);
        return result;
    }

    /// <summary>Writes a snapshot of the index now, if anything changed since the last one.</summary>
    public Task<bool> CheckpointAsync(CancellationToken cancellationToken) =>
        Journal is null ? Task.FromResult(false) : Journal.CheckpointAsync(SnapshotAsync, cancellationToken);

    /// <summary>
    /// Writes the index as it is at its last logged change into a snapshot file at <paramref name="path"/>, outside
    /// its own data directory, for a backup. Holds the writer gate meanwhile, like a checkpoint: searches go on, writes
    /// wait. Returns the LSN the copy is consistent at and its record count, or null when the index was deleted.
    /// </summary>
    public async Task<(long Lsn, long Records)?> WriteBackupAsync(IDurableFileSystem fileSystem, string path, CancellationToken cancellationToken)
    {
        await Journal!.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsDeleted)
            {
                return null;
            }

            var lsn = Journal.LastLsn;
            var shards = LiveShards();
            using (var writer = SnapshotWriter.Create(fileSystem, path, lsn, SnapshotHeader()))
            {
                WriteSections(writer, shards);
                writer.Commit();
            }

            return (lsn, shards.Sum(static pair => (long)pair.Value.Engine.Count + pair.Value.Engine.SoftDeletedCount));
        }
        finally
        {
            Journal.Gate.Release();
        }
    }

    /// <summary>Waits out the running writer, refuses later ones, and closes the journal.</summary>
    public async Task CloseAsync()
    {
        StopLinking();
        if (Journal is null)
        {
            IsDeleted = true;
            return;
        }

        await Journal.Gate.WaitAsync().ConfigureAwait(false);
        IsDeleted = true;
        Journal.Gate.Release();
        await Journal.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// Writes each namespace's engine (graph included) under the writer gate, so the snapshot is the state at exactly
    /// the last LSN. Searches go on; writes to this index wait for the length of the write.
    /// </summary>
    private async Task<bool> SnapshotAsync(CancellationToken cancellationToken)
    {
        await Journal!.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsDeleted)
            {
                return false;
            }

            var shards = LiveShards();
            return await Journal.WriteSnapshotAsync(SnapshotHeader(), writer => WriteSections(writer, shards), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Journal.Gate.Release();
        }
    }

    private List<KeyValuePair<Namespace, Shard>> LiveShards() => [.. _shards.Where(static pair => pair.Value.HasRecords)];

    private byte[] SnapshotHeader() => JournalCodec.EncodeSnapshotHeader(Definition, CreatedAt, UpdatedAt);

    private static void WriteSections(SnapshotWriter writer, List<KeyValuePair<Namespace, Shard>> shards)
    {
        var namespaces = JournalCodec.EncodeNamespaces([.. shards.Select(static pair => new KeyValuePair<Namespace, IReadOnlyCollection<string>>(pair.Key, pair.Value.ListFields))]);
        writer.WriteSection(IndexRecovery.NamespacesSection, namespaces);
        for (var number = 0; number < shards.Count; number++)
        {
            shards[number].Value.Engine.WriteTo(writer, IndexRecovery.GraphPrefix(number));
        }
    }
}
