using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Mock;

/// <summary>Batches, listing and scanning (<see cref="IBatchVectorStorage"/>, <see cref="IStreamingVectorStorage"/>).</summary>
public sealed partial class MockVectorStorage
{
    public async ValueTask<BatchResult> UpsertManyAsync(
        IndexName index,
        IReadOnlyList<VectorRecord> records,
        Namespace ns = default,
        BatchOptions? options = null,
        IProgress<BatchProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(records);
        var chunkSize = (options ?? BatchOptions.Default).MaxChunkRecords;
        if (chunkSize < 1)
        {
            throw new InvalidRequestException("options.maxChunkRecords", $"must be at least 1, got {chunkSize}");
        }

        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "UpsertMany");
        if (options?.RefuseInvalidBatch == true)
        {
            Vectors.ThrowIfInvalidBatch(stored.Definition, records, MockConstants.SystemName, "UpsertMany");
        }

        var failures = new List<BatchItemError>();
        var succeeded = 0;
        for (var start = 0; start < records.Count; start += chunkSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var end = Math.Min(records.Count, start + chunkSize);
            var valid = new List<StoredRecord>(end - start);
            for (var i = start; i < end; i++)
            {
                var record = records[i];
                if (Vectors.CheckItem(stored.Definition, record, i) is { } failure)
                {
                    failures.Add(failure);
                }
                else
                {
                    valid.Add(StoredRecord.From(record!));
                }
            }

            lock (stored.Gate)
            {
                var now = _time.GetUtcNow();
                foreach (var record in valid)
                {
                    stored.Put(ns, record, now);
                }
            }

            succeeded += valid.Count;
            progress?.Report(new BatchProgress(succeeded, failures.Count, records.Count));
        }

        return new BatchResult(records.Count, succeeded, failures);
    }

    public async ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default)
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
                if (id is not null && stored.TryGet(ns, id, now) is { } record)
                {
                    found.Add(record.ToRecord(includeValues: true, includeMetadata: true));
                }
            }
        }

        return found;
    }

    public async ValueTask<BatchResult> DeleteManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(ids);
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "DeleteMany");
        var failures = new List<BatchItemError>();
        var removed = 0;
        lock (stored.Gate)
        {
            var now = _time.GetUtcNow();
            for (var i = 0; i < ids.Count; i++)
            {
                if (ids[i] is null)
                {
                    failures.Add(new BatchItemError(i, null, ErrorCodes.InvalidRequest, $"ids[{i}]: an id is required"));
                }
                else if (stored.Remove(ns, ids[i].Value, now))
                {
                    removed++;
                }
            }
        }

        return new BatchResult(ids.Count, removed, failures);
    }

    public async ValueTask<long> DeleteByFilterAsync(IndexName index, FilterExpression filter, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(filter);
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "DeleteByFilter");
        ValidateFilter(filter);
        lock (stored.Gate)
        {
            return stored.RemoveWhere(ns, r => FilterEvaluator.Matches(filter, r.Metadata), _time.GetUtcNow());
        }
    }

    public async ValueTask<long> DeleteAllAsync(IndexName index, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "DeleteAll");
        lock (stored.Gate)
        {
            return stored.RemoveWhere(ns, static _ => true, _time.GetUtcNow());
        }
    }

    public async ValueTask<RecordPage> ListAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(request);
        await EnterAsync(index.Value, cancellationToken).ConfigureAwait(false);
        var stored = Find(index, "List");
        RecordOperationRules.ThrowIfIncludeDeletedRefused(MockCapabilities, request.IncludeDeleted, index.Value, "List");
        var after = request.Cursor is null ? null : DecodeCursor(request.Cursor);
        ValidateFilter(request.Filter);
        var page = new List<VectorRecord>(request.Limit);
        var more = false;
        lock (stored.Gate)
        {
            var now = _time.GetUtcNow();
            foreach (var record in stored.InOrder(request.Namespace))
            {
                if (!record.IsVisible(now, request.IncludeDeleted))
                {
                    continue;
                }

                if (after is not null && string.CompareOrdinal(record.Id.Value, after) <= 0)
                {
                    continue;
                }

                if (request.Filter is not null && !FilterEvaluator.Matches(request.Filter, record.Metadata))
                {
                    continue;
                }

                if (page.Count == request.Limit)
                {
                    more = true;
                    break;
                }

                page.Add(record.ToRecord(request.IncludeValues, request.IncludeMetadata));
            }
        }

        return new RecordPage(page, more ? EncodeCursor(page[^1].Id.Value) : null);
    }

    public IAsyncEnumerable<VectorRecord> ScanAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(request);
        return PagedScan.ScanAsync((page, ct) => ListAsync(index, page, ct), request, cancellationToken);
    }

    private static string EncodeCursor(string lastId) => IdCursor.Encode(CursorPrefix, lastId);

    private static string DecodeCursor(string cursor) => IdCursor.Decode(CursorPrefix, cursor, MockConstants.SystemName);
}
