using System.Text.Json;
using Theodore.Adapters.Pinecone.Wire;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;

namespace Theodore.Adapters.Pinecone;

public sealed partial class PineconeVectorStorage
{
    /// <summary>
    /// Checks every record against the cached definition (Core's rules and Pinecone's), then sends the valid ones in
    /// requests of at most 1,000 vectors and 2 MB of serialized JSON (measured, not estimated), at most
    /// <c>min(BatchOptions.MaxParallelism, PineconeOptions.MaxParallelism)</c> at once, reporting progress per request.
    /// A request that fails marks its records as failed (with the error's code and transience); a missing index fails the call.
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
            RecordOperationRules.ThrowIfExpiryRefused(PineconeCapabilities, record, index.Value, operation);
        }

        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var target = WireNamespace(ns, index, operation);
        if (options.RefuseInvalidBatch)
        {
            Vectors.ThrowIfInvalidBatch(known.Definition, records, PineconeConstants.SystemName, operation);
            var errors = new List<RequestError>();
            for (var i = 0; i < records.Count; i++)
            {
                CheckForPinecone(records[i], Vectors.ItemPath(i), errors);
            }

            RequestErrors.ThrowIfAny(errors, PineconeConstants.SystemName, index.Value, operation);
        }

        var failures = new List<BatchItemError>();
        var items = new List<UpsertItem>(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (Vectors.CheckItem(known.Definition, record, i) is { } invalid)
            {
                failures.Add(invalid);
                continue;
            }

            var problems = new List<RequestError>();
            CheckForPinecone(record, Vectors.ItemPath(i), problems);
            if (problems.Count > 0)
            {
                failures.Add(new BatchItemError(i, record.Id.Value, problems[0].Code, string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}"))));
                continue;
            }

            var wire = ToWire(record);
            items.Add(new UpsertItem(i, wire, JsonSerializer.SerializeToUtf8Bytes(wire, PineconeJsonContext.Default.PineconeVector).Length));
        }

        var chunks = PineconeUpsertChunks.Cut(
            items,
            target,
            Math.Min(options.MaxChunkRecords, PineconeLimits.MaxVectorsPerUpsert),
            Math.Min(options.MaxChunkBytes, PineconeLimits.MaxUpsertBytes));
        var gate = new Lock();
        var succeeded = 0;
        var failed = failures.Count;
        await Parallel.ForEachAsync(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Min(options.MaxParallelism, _options.MaxParallelism), CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                var request = new UpsertRequest(chunk.Select(item => item.Vector).ToArray(), target);
                BatchProgress report;
                try
                {
                    await DataAsync(known, operation, (data, c) => data.UpsertAsync(request, c), ct).ConfigureAwait(false);
                    lock (gate)
                    {
                        succeeded += chunk.Count;
                        report = new BatchProgress(succeeded, failed, records.Count);
                    }
                }
                catch (VectorStorageException error) when (error is not IndexNotFoundException)
                {
                    lock (gate)
                    {
                        failures.AddRange(chunk.Select(item => new BatchItemError(item.Position, item.Vector.Id, error.Code, error.Message, error.IsTransient)));
                        failed += chunk.Count;
                        report = new BatchProgress(succeeded, failed, records.Count);
                    }
                }

                progress?.Report(report);
            }).ConfigureAwait(false);

        if (chunks.Count == 0 && records.Count > 0)
        {
            progress?.Report(new BatchProgress(0, failed, records.Count));
        }

        failures.Sort(static (a, b) => a.Position.CompareTo(b.Position));
        return new BatchResult(records.Count, succeeded, failures);
    }

    /// <summary>Fetches in requests of at most 1,000 ids (and a bounded URL), in parallel; answers in request order.</summary>
    public async ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(ids);
        const string operation = "GetMany";
        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var target = WireNamespace(ns, index, operation);
        var found = await FetchAsync(known, ids.Where(id => id is not null).Select(id => id.Value), target, operation, cancellationToken).ConfigureAwait(false);
        var result = new List<VectorRecord>(found.Count);
        foreach (var id in ids)
        {
            if (id is not null && found.TryGetValue(id.Value, out var vector))
            {
                result.Add(FromWire(vector, index.Value, includeValues: true, includeMetadata: true));
            }
        }

        return result;
    }

    /// <summary>
    /// Fetches the ids to learn which exist (the port counts them), then deletes those in requests of at most 1,000 ids:
    /// two requests per 1,000 ids at least.
    /// </summary>
    public async ValueTask<BatchResult> DeleteManyAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(ids);
        const string operation = "DeleteMany";
        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var target = WireNamespace(ns, index, operation);
        var failures = new List<BatchItemError>();
        for (var i = 0; i < ids.Count; i++)
        {
            if (ids[i] is null)
            {
                failures.Add(new BatchItemError(i, null, ErrorCodes.InvalidRequest, $"ids[{i}]: an id is required"));
            }
        }

        var existing = (await FetchAsync(known, ids.Where(id => id is not null).Select(id => id.Value), target, operation, cancellationToken).ConfigureAwait(false)).Keys.ToArray();
        await Parallel.ForEachAsync(
            existing.Chunk(PineconeLimits.MaxIdsPerRequest),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                var request = new DeleteRequest { Ids = chunk, Namespace = target };
                await DataAsync(known, operation, (data, c) => data.DeleteAsync(request, c), ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
        return new BatchResult(ids.Count, existing.Length, failures);
    }

    /// <summary>
    /// Counts the matching records with an update dry run (<c>POST /vectors/update {filter, dryRun:true}</c>, which
    /// changes nothing), then deletes by the same filter: two requests, none when nothing matches.
    /// </summary>
    public async ValueTask<long> DeleteByFilterAsync(IndexName index, FilterExpression filter, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(filter);
        const string operation = "DeleteByFilter";
        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var target = WireNamespace(ns, index, operation);
        var wire = PineconeFilters.Translate(filter, index.Value, operation)!;
        var dryRun = new UpdateRequest { Filter = wire, Namespace = target, DryRun = true };
        var counted = await DataAsync(known, operation, (data, ct) => data.UpdateAsync(dryRun, ct), cancellationToken).ConfigureAwait(false);
        var matched = counted.MatchedRecords ?? 0;
        if (matched > 0)
        {
            var request = new DeleteRequest { Filter = wire, Namespace = target };
            await DataAsync(known, operation, (data, ct) => data.DeleteAsync(request, ct), cancellationToken).ConfigureAwait(false);
        }

        return matched;
    }

    /// <summary>Reads the namespace's count from the index stats, then deletes it whole (<c>deleteAll</c>): two requests, one when it is empty.</summary>
    public async ValueTask<long> DeleteAllAsync(IndexName index, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        const string operation = "DeleteAll";
        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var target = WireNamespace(ns, index, operation);
        var stats = await DescribeStatsAsync(known, operation, cancellationToken).ConfigureAwait(false);
        long count = 0;
        foreach (var (name, summary) in stats.Namespaces ?? [])
        {
            var isTarget = target is null
                ? name.Length == 0 || string.Equals(name, PineconeLimits.DefaultNamespaceAlias, StringComparison.Ordinal)
                : string.Equals(name, target, StringComparison.Ordinal);
            if (isTarget)
            {
                count += summary.VectorCount ?? 0;
            }
        }

        if (count > 0)
        {
            var request = new DeleteRequest { DeleteAll = true, Namespace = target };
            await DataAsync(known, operation, (data, ct) => data.DeleteAsync(request, ct), cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    /// <summary>The vectors that exist among <paramref name="ids"/>, by id; requests of at most 1,000 ids and a bounded query string.</summary>
    private async Task<Dictionary<string, PineconeVector>> FetchAsync(KnownIndex known, IEnumerable<string> ids, string? target, string operation, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, PineconeVector>(StringComparer.Ordinal);
        var chunks = FetchChunks(ids.Distinct(StringComparer.Ordinal));
        await Parallel.ForEachAsync(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxParallelism, CancellationToken = cancellationToken },
            async (chunk, ct) =>
            {
                var response = await DataAsync(known, operation, (data, c) => data.FetchAsync(chunk, target, c), ct).ConfigureAwait(false);
                lock (found)
                {
                    foreach (var (id, vector) in response.Vectors ?? [])
                    {
                        found[id] = vector;
                    }
                }
            }).ConfigureAwait(false);
        return found;
    }

    internal static List<List<string>> FetchChunks(IEnumerable<string> ids)
    {
        var chunks = new List<List<string>>();
        var current = new List<string>();
        var length = 0;
        foreach (var id in ids)
        {
            var cost = "ids=".Length + Uri.EscapeDataString(id).Length + 1;
            if (current.Count > 0 && (current.Count == PineconeLimits.MaxIdsPerRequest || length + cost > PineconeLimits.MaxFetchQueryLength))
            {
                chunks.Add(current);
                current = [];
                length = 0;
            }

            current.Add(id);
            length += cost;
        }

        if (current.Count > 0)
        {
            chunks.Add(current);
        }

        return chunks;
    }
}

/// <summary>A valid record of a batch: its position, its wire form and the bytes that form serializes to.</summary>
internal sealed record UpsertItem(int Position, PineconeVector Vector, int Bytes);
