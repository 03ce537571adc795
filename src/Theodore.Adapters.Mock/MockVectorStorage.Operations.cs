using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Mock;

/// <summary>
/// Mixed batches, soft delete, TTL, compaction and the expiry sweep: the reference every other backend is held to
/// (docs/adr, the conformance suites <c>RecordOperationsConformance</c> and <c>IndexMaintenanceConformance</c>).
/// </summary>
public sealed partial class MockVectorStorage
{
    /// <summary>
    /// Applies the operations in order under the index's lock. Atomic: every operation is checked first and tried on a
    /// copy of the namespace; bad input refuses the batch with <see cref="InvalidRequestException"/> listing every
    /// problem, operations on missing records with <see cref="RecordNotFoundException"/> naming them, nothing applied;
    /// else the copy takes the namespace's place at once. Not atomic: each operation succeeds or fails on its own.
    /// </summary>
    public async ValueTask<OperationBatchResult> ApplyAsync(
        IndexName index,
        IReadOnlyList<RecordOperation> operations,
        Namespace ns = default,
        OperationBatchOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        options ??= OperationBatchOptions.Default;
        var started = _time.GetTimestamp();
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "Apply");
        RecordOperationRules.ThrowIfRefused(MockCapabilities, operations!, options, index.Value);
        var results = new RecordOperationResult[operations.Count];
        if (options.Atomic)
        {
            RequestErrors.ThrowIfAny(RecordOperationRules.CheckInput(stored.Definition, operations!), MockConstants.SystemName, index.Value, "Apply");
            lock (stored.Gate)
            {
                var now = _time.GetUtcNow();
                var staged = stored.Copy(ns);
                var missing = new List<(int, VectorId)>();
                for (var i = 0; i < operations.Count; i++)
                {
                    results[i] = ApplyOne(staged, operations[i], i, index.Value, now);
                    if (!results[i].Succeeded)
                    {
                        missing.Add((i, operations[i].Id));
                    }
                }

                if (missing.Count > 0)
                {
                    throw RecordOperationRules.NotFound(MockConstants.SystemName, index.Value, missing);
                }

                stored.Replace(ns, staged, now);
            }
        }
        else
        {
            lock (stored.Gate)
            {
                var now = _time.GetUtcNow();
                var records = stored.Records(ns);
                for (var i = 0; i < operations.Count; i++)
                {
                    var errors = new List<RequestError>();
                    RecordOperationRules.CheckOne(stored.Definition, operations[i], i, errors);
                    results[i] = errors.Count > 0
                        ? Failed(operations[i], i, errors[0].Code, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")))
                        : ApplyOne(records, operations[i], i, index.Value, now);
                }

                stored.Touched(ns, now);
            }
        }

        return new OperationBatchResult(results, options.Atomic, _time.GetElapsedTime(started));
    }

    public async ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, bool includeDeleted, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(ids);
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "GetMany");
        var found = new List<VectorRecord>(ids.Count);
        lock (stored.Gate)
        {
            var now = _time.GetUtcNow();
            foreach (var id in ids)
            {
                if (id is not null && stored.TryGetStored(ns, id.Value) is { } record && record.IsVisible(now, includeDeleted))
                {
                    found.Add(record.ToRecord(includeValues: true, includeMetadata: true));
                }
            }
        }

        return found;
    }

    /// <summary>Purges soft-deleted and expired records; there are no graph slots to reclaim.</summary>
    public async ValueTask<CompactionResult> CompactAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        var started = _time.GetTimestamp();
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "Compact");
        lock (stored.Gate)
        {
            var now = _time.GetUtcNow();
            var before = stored.MemoryBytes();
            var (softDeleted, expired) = stored.Purge(record => !record.IsLive(now), now);
            return new CompactionResult(softDeleted, expired, 0, before, stored.MemoryBytes(), _time.GetElapsedTime(started));
        }
    }

    /// <summary>Deletes the records whose expiry has passed (soft-deleted ones too); returns how many.</summary>
    public async ValueTask<long> SweepExpiredAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "SweepExpired");
        lock (stored.Gate)
        {
            var now = _time.GetUtcNow();
            var (_, expired) = stored.Purge(record => record.IsExpired(now), now);
            return expired;
        }
    }

    private static RecordOperationResult Failed(RecordOperation? operation, int position, string code, string message) =>
        new(position, operation?.Kind ?? RecordOperationKind.Upsert, operation?.Id!, Applied: false, code, message);

    /// <summary>One operation on <paramref name="records"/> (the namespace, or an atomic batch's copy of it); its input was checked.</summary>
    private static RecordOperationResult ApplyOne(SortedDictionary<string, StoredRecord> records, RecordOperation operation, int position, string index, DateTimeOffset now)
    {
        var key = operation.Id.Value;
        var current = records.TryGetValue(key, out var found) && found.Exists(now) ? found : null;
        RecordOperationResult Done(bool applied) => new(position, operation.Kind, operation.Id, applied);
        RecordOperationResult NotFound() => new(position, operation.Kind, operation.Id, Applied: false, ErrorCodes.RecordNotFound, RecordOperationRules.NotFoundMessage(index, operation.Id));

        switch (operation.Kind)
        {
            case RecordOperationKind.Upsert:
                // a soft-deleted record is replaced by a fresh, live one
                records[key] = StoredRecord.From(operation.Record!);
                return Done(true);
            case RecordOperationKind.Delete:
                // a hard delete removes soft-deleted and expired records too; only an existing one counts as applied
                records.Remove(key);
                return Done(current is not null);
            case RecordOperationKind.SoftDelete:
                if (current is null)
                {
                    return NotFound();
                }

                if (current.DeletedAt is not null)
                {
                    return Done(false);
                }

                records[key] = current with { DeletedAt = now };
                return Done(true);
            case RecordOperationKind.Restore:
                if (current is null)
                {
                    return NotFound();
                }

                if (current.DeletedAt is null)
                {
                    return Done(false);
                }

                records[key] = current with { DeletedAt = null };
                return Done(true);
            case RecordOperationKind.UpdateMetadata:
                if (current is null || current.DeletedAt is not null)
                {
                    return NotFound();
                }

                records[key] = current with { Metadata = operation.MetadataMode == MetadataUpdateMode.Replace ? operation.Metadata! : current.Metadata.MergedWith(operation.Metadata!) };
                return Done(true);
            case RecordOperationKind.SetExpiry:
                if (current is null || current.DeletedAt is not null)
                {
                    return NotFound();
                }

                records[key] = current with { ExpiresAt = operation.ExpiresAt };
                return Done(true);
            default:
                throw new ArgumentOutOfRangeException(nameof(operation), operation.Kind, "unknown operation kind");
        }
    }

}
