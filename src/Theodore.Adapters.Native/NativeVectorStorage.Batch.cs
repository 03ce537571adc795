using Theodore.Adapters.Native.Persistence;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Engine;

namespace Theodore.Adapters.Native;

// Many records at once: chunked, validated per item, logged per chunk.
public sealed partial class NativeVectorStorage : IBatchVectorStorage
{
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
        RunAsync("UpsertMany", index, async () =>
        {
            ArgumentNullException.ThrowIfNull(records);
            options ??= BatchOptions.Default;
            var stored = Find(index, "UpsertMany");
            if (options.RefuseInvalidBatch)
            {
                Vectors.ThrowIfInvalidBatch(stored.Definition, records, NativeConstants.SystemName, "UpsertMany");
            }

            // The whole batch is reserved up front, so one that would pass the memory budget is refused before any chunk is written.
            using var reservation = _budget.Reserve(NativeMemoryBudget.Estimate(stored, ns, records), index.Value, "UpsertMany", records.Count);
            var maxChunkBytes = stored.Journal is null ? options.MaxChunkBytes : Math.Min(options.MaxChunkBytes, MaxDurableChunkBytes);
            var failures = new List<BatchItemError>();
            var succeeded = 0;
            var next = 0;
            while (next < records.Count)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunk = new List<StoredRecord>();
                var positions = new Dictionary<string, int>(StringComparer.Ordinal);
                long bytes = 0;
                var taken = 0;
                for (; next < records.Count && taken < options.MaxChunkRecords; next++, taken++)
                {
                    var record = records[next];
                    var size = EstimateBytes(record);
                    if (taken > 0 && bytes + size > maxChunkBytes)
                    {
                        break;
                    }

                    bytes += size;
                    if (Vectors.CheckItem(stored.Definition, record, next) is { } failure)
                    {
                        failures.Add(failure);
                        continue;
                    }

                    var storedRecord = new StoredRecord(record!.Id.Value, ValuesToStore(stored, record.Values, copy: true), record.Metadata ?? Metadata.Empty) { ExpiresAt = record.ExpiresAt };
                    if (positions.TryGetValue(storedRecord.Id, out var earlier))
                    {
                        chunk[earlier] = storedRecord;
                    }
                    else
                    {
                        positions.Add(storedRecord.Id, chunk.Count);
                        chunk.Add(storedRecord);
                    }

                    succeeded++;
                }

                if (chunk.Exists(static r => r.ExpiresAt is not null))
                {
                    // Expiring records need the operation record; the chunk is still one log record.
                    await ApplyLoggedAsync(stored, ns, [.. chunk.Select(static r => new LoggedOperation(Core.Domain.Operations.RecordOperationKind.Upsert, r.Id) { Record = r })], "UpsertMany", cancellationToken).ConfigureAwait(false);
                }
                else if (chunk.Count > 0)
                {
                    await stored.WriteAsync("UpsertMany", log =>
                    {
                        var now = _time.GetUtcNow();
                        var payload = log ? JournalCodec.EncodeUpsert(now, ns, chunk) : null;
                        return new PendingWrite<bool>(JournalCodec.UpsertType, payload, () =>
                        {
                            var shard = stored.GetOrCreate(ns);
                            var engineRecords = new List<EngineRecord>(chunk.Count);
                            foreach (var record in chunk)
                            {
                                shard.Remember(record.Metadata);
                                engineRecords.Add(new EngineRecord(record.Id, record.Values, NativeMapper.ToEngine(record.Metadata)));
                            }

                            shard.Engine.UpsertMany(engineRecords, options.MaxParallelism);
                            stored.Touch(now);
                            return true;
                        });
                    }, cancellationToken).ConfigureAwait(false);
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
                    found.Add(ToCore(id, record));
                }
            }

            return found;
        }, cancellationToken);

    public ValueTask<BatchResult> DeleteManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default) =>
        RunAsync("DeleteMany", index, async () =>
        {
            ArgumentNullException.ThrowIfNull(ids);
            var stored = Find(index, "DeleteMany");
            var failures = new List<BatchItemError>();
            var keys = new List<string>(ids.Count);
            for (var i = 0; i < ids.Count; i++)
            {
                if (ids[i] is null)
                {
                    failures.Add(new BatchItemError(i, null, ErrorCodes.InvalidRequest, $"ids[{i}]: an id is required"));
                }
                else
                {
                    keys.Add(ids[i].Value);
                }
            }

            var removed = await DeleteIdsAsync(stored, ns, keys, "DeleteMany", cancellationToken).ConfigureAwait(false);
            return new BatchResult(ids.Count, removed, failures);
        }, cancellationToken);

    /// <summary>Resolves the filter under the writer gate and logs the ids it matched, so replay deletes exactly those.</summary>
    public ValueTask<long> DeleteByFilterAsync(IndexName index, FilterExpression filter, Namespace ns = default, CancellationToken cancellationToken = default) =>
        RunAsync("DeleteByFilter", index, async () =>
        {
            ArgumentNullException.ThrowIfNull(filter);
            var stored = Find(index, "DeleteByFilter");
            var engineFilter = TranslateFilter(filter)!;
            return await stored.WriteAsync("DeleteByFilter", log =>
            {
                var shard = stored.Find(ns);
                var matched = new List<string>();
                if (shard is not null)
                {
                    foreach (var key in shard.Engine.ListKeys(null, int.MaxValue))
                    {
                        if (shard.Engine.Get(key) is { } record && engineFilter.Evaluate(record.Metadata))
                        {
                            matched.Add(key);
                        }
                    }
                }

                return DeleteKeys(stored, shard, ns, matched, log);
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Drops the namespace's engine index whole, which is cheaper than deleting record by record.</summary>
    public ValueTask<long> DeleteAllAsync(IndexName index, Namespace ns = default, CancellationToken cancellationToken = default) =>
        RunAsync("DeleteAll", index, async () =>
        {
            var stored = Find(index, "DeleteAll");
            return await stored.WriteAsync("DeleteAll", log =>
            {
                if (stored.Find(ns) is null)
                {
                    return new PendingWrite<long>(JournalCodec.DeleteAllType, null, static () => 0L);
                }

                var now = _time.GetUtcNow();
                var payload = log ? JournalCodec.EncodeDeleteAll(now, ns) : null;
                return new PendingWrite<long>(JournalCodec.DeleteAllType, payload, () =>
                {
                    long removed = stored.Detach(ns)?.Engine.Count ?? 0;
                    if (removed > 0)
                    {
                        stored.Touch(now);
                    }

                    return removed;
                });
            }, cancellationToken).ConfigureAwait(false);
        }, cancellationToken);

    // What the record weighs on the wire: the floats, the id, and the metadata as JSON.
    private static long EstimateBytes(VectorRecord? record) =>
        record is null ? 0 : (record.Values.Length * sizeof(float)) + ((record.Id?.Value.Length ?? 0) * sizeof(char)) + MetadataJson.SerializedSize(record.Metadata ?? Metadata.Empty);

    private static PendingWrite<long> DeleteKeys(NativeIndex stored, Shard? shard, Namespace ns, List<string> keys, bool log)
    {
        if (shard is null || keys.Count == 0)
        {
            return new PendingWrite<long>(JournalCodec.DeleteType, null, static () => 0L);
        }

        var now = stored.Time.GetUtcNow();
        var payload = log ? JournalCodec.EncodeDelete(now, ns, keys) : null;
        return new PendingWrite<long>(JournalCodec.DeleteType, payload, () =>
        {
            long removed = 0;
            foreach (var key in keys)
            {
                if (shard.Engine.Delete(key))
                {
                    removed++;
                }
            }

            if (removed > 0)
            {
                stored.Touch(now);
            }

            return removed;
        });
    }

    // Only ids present are logged, so deleting what is not there writes nothing.
    private static async Task<int> DeleteIdsAsync(NativeIndex stored, Namespace ns, List<string> ids, string operation, CancellationToken cancellationToken)
    {
        var removed = await stored.WriteAsync(operation, log =>
        {
            var shard = stored.Find(ns);
            var present = new List<string>(ids.Count);
            long expired = 0;
            if (shard is not null)
            {
                var seen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var id in ids)
                {
                    var state = seen.Add(id) ? shard.Engine.StateOf(id) : EngineRecordState.Missing;
                    if (state != EngineRecordState.Missing)
                    {
                        present.Add(id);
                        expired += state == EngineRecordState.Expired ? 1 : 0;
                    }
                }
            }

            // An expired record is deleted too, but it already counted as missing.
            var pending = DeleteKeys(stored, shard, ns, present, log);
            return expired == 0 ? pending : pending with { Apply = () => pending.Apply() - expired };
        }, cancellationToken).ConfigureAwait(false);
        return (int)removed;
    }
}
