using Theodore.Adapters.Pinecone.Wire;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Pinecone;

/// <summary>
/// Mixed batches (<see cref="IRecordOperationsStorage"/>), never atomic: Pinecone applies each request on its own. Its
/// update only merges metadata (<c>setMetadata</c> sets the given keys, the OpenAPI has no way to remove the others),
/// so a metadata replace is refused up front (501, nothing sent; capabilities: <c>ReplacesMetadata = false</c>), as
/// are atomic batches, soft delete, restore and expiry.
/// </summary>
public sealed partial class PineconeVectorStorage : IRecordOperationsStorage
{
    /// <summary>
    /// Each operation in order, each with its own result: upsert (as <see cref="UpsertAsync"/>), delete (as
    /// <see cref="DeleteAsync"/>: fetch, then delete) and metadata merge (fetch, then <c>POST /vectors/update</c> with
    /// <c>setMetadata</c>; Pinecone answers an update of a missing id with success, so the fetch is what finds
    /// <c>record_not_found</c>). On an eventually consistent index an operation does not see an earlier one of the same
    /// batch until Pinecone has made it visible: a merge right after the upsert of the same id can answer
    /// <c>record_not_found</c>. A failed request is that operation's error and the batch goes on; a missing index ends it.
    /// </summary>
    public async ValueTask<OperationBatchResult> ApplyAsync(
        IndexName index,
        IReadOnlyList<RecordOperation> operations,
        Namespace ns = default,
        OperationBatchOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        const string operation = "Apply";
        options ??= OperationBatchOptions.Default;
        var started = _time.GetTimestamp();
        RecordOperationRules.ThrowIfRefused(PineconeCapabilities, operations!, options, index.Value);
        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var target = WireNamespace(ns, index, operation);
        var results = new RecordOperationResult[operations.Count];
        for (var i = 0; i < operations.Count; i++)
        {
            var item = operations[i];
            var errors = new List<RequestError>();
            RecordOperationRules.CheckOne(known.Definition, item, i, errors);
            if (errors.Count == 0 && item?.Kind == RecordOperationKind.Upsert)
            {
                CheckForPinecone(item.Record!, $"{RecordOperationRules.Path(i)}.record", errors);
            }
            else if (errors.Count == 0 && item?.Kind == RecordOperationKind.UpdateMetadata)
            {
                PineconeMetadata.Check(item.Metadata, $"{RecordOperationRules.Path(i)}.metadata", errors);
            }

            if (errors.Count > 0)
            {
                results[i] = new RecordOperationResult(i, item?.Kind ?? RecordOperationKind.Upsert, item?.Id!, Applied: false, errors[0].Code, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
                continue;
            }

            try
            {
                var applied = item!.Kind switch
                {
                    RecordOperationKind.Upsert => await UpsertOneAsync(index, item.Record!, ns, cancellationToken).ConfigureAwait(false),
                    RecordOperationKind.Delete => await DeleteAsync(index, item.Id, ns, cancellationToken).ConfigureAwait(false),
                    RecordOperationKind.UpdateMetadata => await MergeMetadataAsync(known, item, target, cancellationToken).ConfigureAwait(false),

                    // refused up front by RecordOperationRules.ThrowIfRefused (the capabilities say no)
                    _ => throw new UnsupportedOperationException($"{PineconeConstants.SystemName} cannot apply {item.Kind}.") { SystemName = PineconeConstants.SystemName, Index = index.Value, Operation = operation },
                };
                results[i] = new RecordOperationResult(i, item.Kind, item.Id, applied);
            }
            catch (VectorStorageException ex) when (ex is not IndexNotFoundException and not UnsupportedOperationException)
            {
                var message = ex is RecordNotFoundException ? RecordOperationRules.NotFoundMessage(index.Value, item!.Id) : ex.Message;
                results[i] = new RecordOperationResult(i, item!.Kind, item.Id, Applied: false, ex.Code, message);
            }
        }

        return new OperationBatchResult(results, Atomic: false, _time.GetElapsedTime(started));
    }

    /// <summary>As <see cref="GetManyAsync(IndexName, IReadOnlyList{VectorId}, Namespace, CancellationToken)"/>; there are no deleted records to include (refused).</summary>
    public async ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, bool includeDeleted, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        RecordOperationRules.ThrowIfIncludeDeletedRefused(PineconeCapabilities, includeDeleted, index.Value, "GetMany");
        return await GetManyAsync(index, ids, ns, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> UpsertOneAsync(IndexName index, VectorRecord record, Namespace ns, CancellationToken cancellationToken)
    {
        await UpsertAsync(index, record, ns, cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task<bool> MergeMetadataAsync(KnownIndex known, RecordOperation item, string? target, CancellationToken cancellationToken)
    {
        const string operation = "Apply";
        var id = item.Id.Value;
        var fetched = await DataAsync(known, operation, (data, ct) => data.FetchAsync([id], target, ct), cancellationToken).ConfigureAwait(false);
        if (fetched.Vectors is null || !fetched.Vectors.ContainsKey(id))
        {
            throw new RecordNotFoundException(known.Definition.Name.Value, id) { SystemName = PineconeConstants.SystemName, Operation = operation };
        }

        // merging nothing changes nothing; Pinecone would refuse an update without anything to set
        if (PineconeMetadata.ToJson(item.Metadata!) is { } set)
        {
            var request = new UpdateRequest { Id = id, SetMetadata = set, Namespace = target };
            await DataAsync(known, operation, (data, ct) => data.UpdateAsync(request, ct), cancellationToken, PineconeErrors.NotFoundMeaning.Record).ConfigureAwait(false);
        }

        return true;
    }
}
