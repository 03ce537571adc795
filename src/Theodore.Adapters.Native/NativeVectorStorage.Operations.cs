using Theodore.Adapters.Native.Persistence;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Engine;

namespace Theodore.Adapters.Native;

// Mixed batches: every operation is checked against the state as the earlier operations of the batch leave it, under
// the index's writer gate; the ones that change something are logged as ONE record and then applied, so a crash leaves
// the whole batch or none of it (ADR 0016). An atomic batch with any problem is refused before anything is logged.
public sealed partial class NativeVectorStorage : IRecordOperationsStorage
{
    private const string ApplyOperation = "ApplyOperations";

    public ValueTask<OperationBatchResult> ApplyAsync(
        IndexName index,
        IReadOnlyList<RecordOperation> operations,
        Namespace ns = default,
        OperationBatchOptions? options = null,
        CancellationToken cancellationToken = default) =>
        RunAsync(ApplyOperation, index, async () =>
        {
            ArgumentNullException.ThrowIfNull(operations);
            options ??= OperationBatchOptions.Default;
            var started = _time.GetTimestamp();
            var stored = Find(index, ApplyOperation);
            var invalid = CheckOperations(stored, operations);
            if (options.Atomic && invalid.Count > 0)
            {
                throw RequestErrors.ToException([.. invalid.Values.SelectMany(static e => e)], NativeConstants.SystemName, index.Value, ApplyOperation);
            }

            var upserts = new List<VectorRecord?>();
            for (var i = 0; i < operations.Count; i++)
            {
                if (operations[i].Kind == RecordOperationKind.Upsert && !invalid.ContainsKey(i))
                {
                    upserts.Add(operations[i].Record);
                }
            }

            using var reservation = _budget.Reserve(NativeMemoryBudget.Estimate(stored, ns, upserts), index.Value, ApplyOperation, upserts.Count);
            IReadOnlyList<RecordOperationResult> results;
            if (stored.Journal is null)
            {
                // In memory there is no writer gate: batches are serialized among themselves here.
                lock (stored.OperationsGate)
                {
                    results = Plan(stored, ns, operations, invalid, options.Atomic, log: false).Apply();
                }
            }
            else
            {
                results = await stored.WriteAsync(ApplyOperation, log => Plan(stored, ns, operations, invalid, options.Atomic, log), cancellationToken).ConfigureAwait(false);
            }

            return new OperationBatchResult(results, options.Atomic, _time.GetElapsedTime(started));
        }, cancellationToken);

    public ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, bool includeDeleted, Namespace ns = default, CancellationToken cancellationToken = default) =>
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
                if (id is not null && shard.Engine.Get(id.Value, includeDeleted) is { } record)
                {
                    found.Add(ToCore(id, record));
                }
            }

            return found;
        }, cancellationToken);

    private static VectorRecord ToCore(VectorId id, EngineRecord record) =>
        new(id, record.Vector, NativeMapper.ToCore(record.Metadata)) { ExpiresAt = record.ExpiresAt, DeletedAt = record.DeletedAt };

    // Input problems per position (paths operations[i]...); a missing operation refuses the batch in any mode.
    private static Dictionary<int, List<RequestError>> CheckOperations(NativeIndex stored, IReadOnlyList<RecordOperation> operations)
    {
        var invalid = new Dictionary<int, List<RequestError>>();
        if (operations.Count > OperationBatchOptions.MaxOperations)
        {
            throw new InvalidRequestException("operations", $"a batch holds at most {OperationBatchOptions.MaxOperations} operations, got {operations.Count}")
            {
                SystemName = NativeConstants.SystemName,
                Index = stored.Definition.Name.Value,
                Operation = ApplyOperation,
            };
        }

        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is null)
            {
                throw new InvalidRequestException($"operations[{i}]", "an operation is required")
                {
                    SystemName = NativeConstants.SystemName,
                    Index = stored.Definition.Name.Value,
                    Operation = ApplyOperation,
                };
            }

            if (operations[i].Record is { } record)
            {
                var errors = new List<RequestError>();
                Vectors.Check(stored.Definition, record.Values.Span, $"operations[{i}].record.values", isWrite: true, errors);
                if (errors.Count > 0)
                {
                    invalid[i] = errors;
                }
            }
        }

        return invalid;
    }

    private PendingWrite<IReadOnlyList<RecordOperationResult>> Plan(
        NativeIndex stored,
        Namespace ns,
        IReadOnlyList<RecordOperation> operations,
        Dictionary<int, List<RequestError>> invalid,
        bool atomic,
        bool log)
    {
        var now = _time.GetUtcNow();
        var batch = new BatchState(stored.Find(ns), now);
        var results = new RecordOperationResult[operations.Count];
        var logged = new List<LoggedOperation>();
        var missing = new List<int>();
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            var id = operation.Id.Value;
            if (invalid.TryGetValue(i, out var errors))
            {
                results[i] = new RecordOperationResult(i, operation.Kind, operation.Id, false, errors[0].Code, string.Join("; ", errors.Select(static e => $"{e.Path}: {e.Message}")));
                continue;
            }

            var state = batch.StateOf(id);
            bool? applied = null;
            switch (operation.Kind)
            {
                case RecordOperationKind.Upsert:
                    var record = operation.Record!;
                    var metadata = record.Metadata ?? Metadata.Empty;
                    var storedRecord = new StoredRecord(id, ValuesToStore(stored, record.Values, copy: true), metadata) { ExpiresAt = record.ExpiresAt };
                    logged.Add(new LoggedOperation(RecordOperationKind.Upsert, id) { Record = storedRecord });
                    batch.Set(id, batch.Expires(record.ExpiresAt) ? EngineRecordState.Expired : EngineRecordState.Live, metadata);
                    applied = true;
                    break;
                case RecordOperationKind.Delete:
                    // An expired record is deleted too, but counts as missing.
                    if (state != EngineRecordState.Missing)
                    {
                        logged.Add(new LoggedOperation(RecordOperationKind.Delete, id));
                        batch.Set(id, EngineRecordState.Missing, null);
                    }

                    applied = state is EngineRecordState.Live or EngineRecordState.SoftDeleted;
                    break;
                case RecordOperationKind.SoftDelete when state is EngineRecordState.Live:
                case RecordOperationKind.Restore when state is EngineRecordState.SoftDeleted:
                    logged.Add(new LoggedOperation(operation.Kind, id));
                    batch.Set(id, operation.Kind == RecordOperationKind.SoftDelete ? EngineRecordState.SoftDeleted : EngineRecordState.Live, batch.MetadataOf(id));
                    applied = true;
                    break;
                case RecordOperationKind.SoftDelete when state is EngineRecordState.SoftDeleted:
                case RecordOperationKind.Restore when state is EngineRecordState.Live:
                    applied = false;
                    break;
                case RecordOperationKind.UpdateMetadata when state is EngineRecordState.Live:
                    var merged = operation.MetadataMode == MetadataUpdateMode.Replace ? operation.Metadata! : batch.MetadataOf(id).MergedWith(operation.Metadata!);
                    logged.Add(new LoggedOperation(RecordOperationKind.UpdateMetadata, id) { Metadata = merged });
                    batch.Set(id, EngineRecordState.Live, merged);
                    applied = true;
                    break;
                case RecordOperationKind.SetExpiry when state is EngineRecordState.Live:
                    logged.Add(new LoggedOperation(RecordOperationKind.SetExpiry, id) { ExpiresAt = operation.ExpiresAt });
                    batch.Set(id, batch.Expires(operation.ExpiresAt) ? EngineRecordState.Expired : EngineRecordState.Live, batch.MetadataOf(id));
                    applied = true;
                    break;
            }

            if (applied is { } done)
            {
                results[i] = new RecordOperationResult(i, operation.Kind, operation.Id, done);
            }
            else
            {
                var what = state == EngineRecordState.SoftDeleted ? "is soft-deleted" : "does not exist";
                results[i] = new RecordOperationResult(i, operation.Kind, operation.Id, false, ErrorCodes.RecordNotFound, $"record '{id}' {what}");
                missing.Add(i);
            }
        }

        if (atomic && missing.Count > 0)
        {
            var named = string.Join(", ", missing.Take(10).Select(i => FormattableString.Invariant($"operations[{i}] ('{operations[i].Id.Value}')")));
            throw new RecordNotFoundException($"The atomic batch was refused, nothing applied: {missing.Count} operation(s) name a record that does not exist or is soft-deleted: {named}.")
            {
                SystemName = NativeConstants.SystemName,
                Index = stored.Definition.Name.Value,
                Operation = ApplyOperation,
            };
        }

        if (logged.Count == 0)
        {
            return new PendingWrite<IReadOnlyList<RecordOperationResult>>(JournalCodec.AtomicBatchType, null, () => results);
        }

        var type = JournalCodec.OperationsType(logged);
        var payload = log ? JournalCodec.EncodeOperations(type, now, ns, logged) : null;
        return new PendingWrite<IReadOnlyList<RecordOperationResult>>(type, payload, () =>
        {
            ApplyLogged(stored, ns, logged, now);
            return results;
        });
    }

    /// <summary>Logs operations already resolved (upserts carrying an expiry) as one record and applies them.</summary>
    private async Task ApplyLoggedAsync(NativeIndex stored, Namespace ns, List<LoggedOperation> logged, string operation, CancellationToken cancellationToken)
    {
        await stored.WriteAsync(operation, log =>
        {
            var now = _time.GetUtcNow();
            var type = JournalCodec.OperationsType(logged);
            var payload = log ? JournalCodec.EncodeOperations(type, now, ns, logged) : null;
            return new PendingWrite<bool>(type, payload, () =>
            {
                ApplyLogged(stored, ns, logged, now);
                return true;
            });
        }, cancellationToken).ConfigureAwait(false);
    }

    // The logged operations, in order; runs of upserts go to the engine as one parallel insert.
    private static void ApplyLogged(NativeIndex stored, Namespace ns, List<LoggedOperation> logged, DateTimeOffset now)
    {
        var shard = stored.GetOrCreate(ns);
        var engine = shard.Engine;
        var upserts = new List<EngineRecord>();
        foreach (var operation in logged)
        {
            if (operation.Kind == RecordOperationKind.Upsert)
            {
                var record = operation.Record!;
                shard.Remember(record.Metadata);
                upserts.Add(new EngineRecord(record.Id, record.Values, NativeMapper.ToEngine(record.Metadata)) { ExpiresAt = record.ExpiresAt });
                continue;
            }

            Flush(engine, upserts);
            switch (operation.Kind)
            {
                case RecordOperationKind.Delete:
                    engine.Delete(operation.Id);
                    break;
                case RecordOperationKind.SoftDelete:
                    engine.SoftDelete(operation.Id, now);
                    break;
                case RecordOperationKind.Restore:
                    engine.Restore(operation.Id);
                    break;
                case RecordOperationKind.SetExpiry:
                    engine.SetExpiry(operation.Id, operation.ExpiresAt);
                    break;
                default:
                    shard.Remember(operation.Metadata);
                    engine.UpdateMetadata(operation.Id, NativeMapper.ToEngine(operation.Metadata));
                    break;
            }
        }

        Flush(engine, upserts);
        stored.Touch(now);

        static void Flush(VectorIndex engine, List<EngineRecord> upserts)
        {
            if (upserts.Count > 0)
            {
                engine.UpsertMany([.. upserts]);
                upserts.Clear();
            }
        }
    }


    /// <summary>The records a batch has touched so far, over the engine's state: what each later operation sees.</summary>
    private sealed class BatchState(Shard? shard, DateTimeOffset now)
    {
        private readonly Dictionary<string, (EngineRecordState State, Metadata? Metadata)> _touched = new(StringComparer.Ordinal);

        public EngineRecordState StateOf(string id) =>
            _touched.TryGetValue(id, out var touched) ? touched.State : shard?.Engine.StateOf(id) ?? EngineRecordState.Missing;

        public Metadata MetadataOf(string id)
        {
            if (_touched.TryGetValue(id, out var touched) && touched.Metadata is { } metadata)
            {
                return metadata;
            }

            return shard?.Engine.Get(id, includeDeleted: true) is { } record ? NativeMapper.ToCore(record.Metadata) : Metadata.Empty;
        }

        public bool Expires(DateTimeOffset? at) => at is { } expiry && expiry <= now;

        public void Set(string id, EngineRecordState state, Metadata? metadata) => _touched[id] = (state, metadata);
    }
}
