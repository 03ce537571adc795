using Qdrant.Client.Grpc;
using Theodore.Core.Domain;
using Vectors = Theodore.Core.Domain.Vectors;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using BatchResult = Theodore.Core.Domain.BatchResult;
using Filter = Qdrant.Client.Grpc.Filter;

namespace Theodore.Adapters.Qdrant;

public sealed partial class QdrantVectorStorage
{
    /// <summary>
    /// Checks every record against the index first (with <see cref="BatchOptions.RefuseInvalidBatch"/> one bad record refuses
    /// the batch and nothing is sent), then sends the valid points in Upsert calls of at most
    /// min(<see cref="BatchOptions.MaxChunkRecords"/>, <see cref="QdrantOptions.MaxBatchRecords"/>) points and
    /// min(<see cref="BatchOptions.MaxChunkBytes"/>, <see cref="QdrantOptions.MaxBatchBytes"/>) bytes of encoded request (a single point
    /// bigger than that goes alone), at most min(<see cref="BatchOptions.MaxParallelism"/>,
    /// <see cref="QdrantOptions.MaxParallelUpserts"/>) in flight, each with wait=true; progress is reported after each call.
    /// A failed call fails the batch with its mapped error; chunks already acknowledged stay written (upserts are
    /// idempotent, so the whole batch can be retried).
    /// </summary>
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
        const string operation = "UpsertMany";
        options ??= BatchOptions.Default;
        foreach (var record in records)
        {
            RecordOperationRules.ThrowIfExpiryRefused(Capabilities, record, index.Value, operation);
        }

        var definition = options.RefuseInvalidBatch
            ? await CheckedAsync(index, operation, d => Vectors.ThrowIfInvalidBatch(d, records, QdrantConstants.SystemName, operation), cancellationToken).ConfigureAwait(false)
            : await DefinitionAsync(index, operation, cancellationToken).ConfigureAwait(false);
        if (!options.RefuseInvalidBatch && HasDimensionMismatch(definition, records))
        {
            // a stale cached definition (the index was recreated elsewhere) must not fail good records: ask once more
            definition = await FetchDefinitionAsync(index, operation, cancellationToken).ConfigureAwait(false);
        }

        var failures = new List<BatchItemError>();
        var points = new List<PointStruct>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            if (Vectors.CheckItem(definition, records[i], i) is { } failure)
            {
                failures.Add(failure);
            }
            else
            {
                points.Add(QdrantPayload.ToPoint(ns, records[i]));
            }
        }

        // the request around the points: the collection name, wait and their tags
        var envelope = index.Value.Length + 16;
        var chunks = Chunk(points, Math.Min(options.MaxChunkRecords, _options.MaxBatchRecords), Math.Max(1, Math.Min(options.MaxChunkBytes, _options.MaxBatchBytes) - envelope));
        var written = 0;
        progress?.Report(new BatchProgress(0, failures.Count, records.Count));
        await Parallel.ForEachAsync(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Min(options.MaxParallelism, _options.MaxParallelUpserts), CancellationToken = cancellationToken },
            async (chunk, token) =>
            {
                await CallAsync(index.Value, operation, () => _client.UpsertAsync(index.Value, chunk, wait: true, cancellationToken: token), token).ConfigureAwait(false);
                var done = Interlocked.Add(ref written, chunk.Count);
                progress?.Report(new BatchProgress(done, failures.Count, records.Count));
            }).ConfigureAwait(false);

        return new BatchResult(records.Count, written, failures);
    }

    /// <summary>One Retrieve; Qdrant answers in request order without duplicates, and the answer is laid out in the request's order (duplicates repeated).</summary>
    public async ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(ids);
        var wanted = ids.Where(id => id is not null).ToList();
        var found = await RetrieveAsync(index, wanted, ns, withPayload: true, withVectors: true, "GetMany", cancellationToken).ConfigureAwait(false);
        var byId = found.Select(p => ToRecord(p, includeValues: true, includeMetadata: true)).ToDictionary(r => r.Id.Value, StringComparer.Ordinal);
        return wanted.Where(id => byId.ContainsKey(id.Value)).Select(id => byId[id.Value]).ToList();
    }

    /// <summary>Retrieve (which exist?) then one Delete of those; <see cref="BatchResult.Succeeded"/> counts the ids that existed.</summary>
    public async ValueTask<BatchResult> DeleteManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(ids);
        var failures = new List<BatchItemError>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] is null)
            {
                failures.Add(new BatchItemError(i, null, ErrorCodes.InvalidRequest, $"ids[{i}]: an id is required"));
            }
        }

        var wanted = ids.Where(id => id is not null).DistinctBy(id => id.Value, StringComparer.Ordinal).ToList();
        var found = await RetrieveAsync(index, wanted, ns, withPayload: false, withVectors: false, "DeleteMany", cancellationToken).ConfigureAwait(false);
        if (found.Count > 0)
        {
            var pointIds = found.Select(p => p.Id).ToList();
            await CallAsync(index.Value, "DeleteMany", () => _client.DeleteAsync(index.Value, pointIds, wait: true, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        }

        return new BatchResult(ids.Count, found.Count, failures);
    }

    /// <summary>Count (exact) then Delete by the same filter; the count is the answer (see the class remarks on the race).</summary>
    public async ValueTask<long> DeleteByFilterAsync(IndexName index, FilterExpression filter, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(filter);
        return await DeleteMatchingAsync(index, QdrantFilters.Build(ns, filter), "DeleteByFilter", cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<long> DeleteAllAsync(IndexName index, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        return await DeleteMatchingAsync(index, QdrantFilters.Build(ns, null), "DeleteAll", cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<long> DeleteMatchingAsync(IndexName index, Filter filter, string operation, CancellationToken cancellationToken)
    {
        var count = await CallAsync(index.Value, operation, () => _client.CountAsync(index.Value, filter, exact: true, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        if (count == 0)
        {
            return 0;
        }

        await CallAsync(index.Value, operation, () => _client.DeleteAsync(index.Value, filter, wait: true, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return (long)count;
    }

    private static bool HasDimensionMismatch(IndexDefinition definition, IReadOnlyList<VectorRecord> records) =>
        records.Any(record => record is not null && record.Values.Length != definition.Dimension);

    /// <summary>Cuts points into chunks of at most <paramref name="maxRecords"/> points and <paramref name="maxBytes"/> encoded bytes (one oversized point alone).</summary>
    internal static List<List<PointStruct>> Chunk(IReadOnlyList<PointStruct> points, int maxRecords, long maxBytes)
    {
        var chunks = new List<List<PointStruct>>();
        var current = new List<PointStruct>();
        long bytes = 0;
        foreach (var point in points)
        {
            // a repeated message field costs its tag (1 byte), its length varint, and its body
            var size = point.CalculateSize();
            long cost = 1 + Google.Protobuf.CodedOutputStream.ComputeLengthSize(size) + size;
            if (current.Count > 0 && (current.Count == maxRecords || bytes + cost > maxBytes))
            {
                chunks.Add(current);
                current = [];
                bytes = 0;
            }

            current.Add(point);
            bytes += cost;
        }

        if (current.Count > 0)
        {
            chunks.Add(current);
        }

        return chunks;
    }
}
