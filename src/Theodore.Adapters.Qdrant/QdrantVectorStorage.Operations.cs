using Qdrant.Client.Grpc;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Metadata = Theodore.Core.Domain.Metadata;

namespace Theodore.Adapters.Qdrant;

/// <summary>
/// Mixed batches (<see cref="IRecordOperationsStorage"/>), never atomic: Qdrant applies each update request on its own,
/// so an all-or-nothing batch, soft delete, restore and expiry are refused up front (501, nothing sent).
/// </summary>
public sealed partial class QdrantVectorStorage : IRecordOperationsStorage
{
    /// <summary>
    /// Each operation in order, each its own calls with wait=true, each with its own result: upsert (Upsert), delete
    /// (Retrieve, then Delete when it exists), metadata merge (Retrieve, SetPayload under <c>metadata</c>, then SetPayload
    /// of the derived filter fields recomputed from what was read) and metadata replace (one OverwritePayload of the whole
    /// payload; Qdrant's "No point with id" is the record's <c>record_not_found</c>). A failed call is that operation's
    /// error and the batch goes on; a missing collection ends it (IndexNotFound), with the earlier operations applied.
    /// A merge racing another write to the same record can leave the derived fields ($exists, $contains) as of the read.
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
        RecordOperationRules.ThrowIfRefused(Capabilities, operations!, options, index.Value);
        var definition = await DefinitionAsync(index, "Apply", cancellationToken).ConfigureAwait(false);
        var results = new RecordOperationResult[operations.Count];
        for (var i = 0; i < operations.Count; i++)
        {
            var operation = operations[i];
            var errors = new List<RequestError>();
            RecordOperationRules.CheckOne(definition, operation, i, errors);
            if (errors.Count > 0)
            {
                results[i] = new RecordOperationResult(i, operation?.Kind ?? RecordOperationKind.Upsert, operation?.Id!, Applied: false, errors[0].Code, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
                continue;
            }

            try
            {
                results[i] = new RecordOperationResult(i, operation!.Kind, operation.Id, await ApplyOneAsync(index, ns, operation, cancellationToken).ConfigureAwait(false));
            }
            catch (VectorStorageException ex) when (ex is not IndexNotFoundException)
            {
                var message = ex is RecordNotFoundException ? RecordOperationRules.NotFoundMessage(index.Value, operation!.Id) : ex.Message;
                results[i] = new RecordOperationResult(i, operation!.Kind, operation.Id, Applied: false, ex.Code, message);
            }
        }

        return new OperationBatchResult(results, Atomic: false, _time.GetElapsedTime(started));
    }

    /// <summary>One Retrieve, as <see cref="GetManyAsync(IndexName, IReadOnlyList{VectorId}, Namespace, CancellationToken)"/>; there are no deleted records to include (refused).</summary>
    public async ValueTask<IReadOnlyList<VectorRecord>> GetManyAsync(IndexName index, IReadOnlyList<VectorId> ids, bool includeDeleted, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        RecordOperationRules.ThrowIfIncludeDeletedRefused(Capabilities, includeDeleted, index.Value, "GetMany");
        return await GetManyAsync(index, ids, ns, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the operation changed something; a missing record is <see cref="RecordNotFoundException"/> where that is an error.</summary>
    private async ValueTask<bool> ApplyOneAsync(IndexName index, Namespace ns, RecordOperation operation, CancellationToken cancellationToken)
    {
        const string operationName = "Apply";
        var name = index.Value;
        var id = operation.Id;
        var pointId = QdrantPointIds.ToUuid(ns, id);
        switch (operation.Kind)
        {
            case RecordOperationKind.Upsert:
                var point = QdrantPayload.ToPoint(ns, operation.Record!);
                await CallAsync(name, operationName, () => _client.UpsertAsync(name, [point], wait: true, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
                return true;
            case RecordOperationKind.Delete:
                var found = await RetrieveAsync(index, [id], ns, withPayload: false, withVectors: false, operationName, cancellationToken).ConfigureAwait(false);
                if (found.Count == 0)
                {
                    return false;
                }

                await CallAsync(name, operationName, () => _client.DeleteAsync(name, [found[0].Id], wait: true, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
                return true;
            case RecordOperationKind.UpdateMetadata when operation.MetadataMode == MetadataUpdateMode.Replace:
                var whole = QdrantPayload.PayloadOf(ns, id, operation.Metadata!);
                await CallAsync(name, operationName, () => _client.OverwritePayloadAsync(name, whole, pointId, wait: true, cancellationToken: cancellationToken), cancellationToken, id.Value).ConfigureAwait(false);
                return true;
            case RecordOperationKind.UpdateMetadata:
                var current = await RetrieveAsync(index, [id], ns, withPayload: true, withVectors: false, operationName, cancellationToken).ConfigureAwait(false);
                if (current.Count == 0)
                {
                    throw new RecordNotFoundException(name, id.Value) { SystemName = QdrantConstants.SystemName, Operation = operationName };
                }

                var merged = QdrantPayload.MetadataOf(current[0].Payload).MergedWith(operation.Metadata!);
                var fields = QdrantPayload.FieldsOf(operation.Metadata!);
                await CallAsync(name, operationName, () => _client.SetPayloadAsync(name, fields, pointId, wait: true, key: QdrantPayload.MetadataKey, cancellationToken: cancellationToken), cancellationToken, id.Value).ConfigureAwait(false);
                var derived = QdrantPayload.DerivedOf(merged);
                await CallAsync(name, operationName, () => _client.SetPayloadAsync(name, derived, pointId, wait: true, cancellationToken: cancellationToken), cancellationToken, id.Value).ConfigureAwait(false);
                return true;
            default:
                // refused up front by RecordOperationRules.ThrowIfRefused (the capabilities say no)
                throw new UnsupportedOperationException($"{QdrantConstants.SystemName} cannot apply {operation.Kind}.") { SystemName = QdrantConstants.SystemName, Index = name, Operation = operationName };
        }
    }

}
