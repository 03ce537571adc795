using Qdrant.Client.Grpc;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Qdrant;

public sealed partial class QdrantVectorStorage
{
    private const string CursorMarker = "qdrant-from:";

    /// <summary>
    /// One Scroll call. Qdrant pages in point-id order, and point ids are UUIDv5 hashes of Theodore's ids, so pages come in
    /// no order a caller can rely on (capabilities: <c>ListsInIdOrder = false</c>); together they still cover every record
    /// present for the whole listing exactly once. The cursor is opaque: the next page's first point id (Qdrant's
    /// inclusive next_page_offset). A record written during a listing may be missed when its UUID sorts before the cursor.
    /// </summary>
    public async ValueTask<RecordPage> ListAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(request);
        Core.Domain.Operations.RecordOperationRules.ThrowIfIncludeDeletedRefused(Capabilities, request.IncludeDeleted, index.Value, "List");
        PointId? offset = null;
        if (request.Cursor is not null)
        {
            var uuid = Core.Domain.IdCursor.Decode(CursorMarker, request.Cursor, QdrantConstants.SystemName);
            if (!Guid.TryParseExact(uuid, "D", out var guid))
            {
                throw new Core.Errors.InvalidRequestException("cursor", "is not a cursor this backend returned") { SystemName = QdrantConstants.SystemName, Operation = "List" };
            }

            offset = new PointId { Uuid = guid.ToString("D") };
        }

        var filter = QdrantFilters.Build(request.Namespace, request.Filter);
        var payload = request.IncludeMetadata
            ? new WithPayloadSelector { Include = Fields(QdrantPayload.IdKey, QdrantPayload.MetadataKey) }
            : new WithPayloadSelector { Include = Fields(QdrantPayload.IdKey) };
        var response = await CallAsync(
            index.Value,
            "List",
            () => _client.ScrollAsync(index.Value, filter, (uint)request.Limit, offset, payload, new WithVectorsSelector { Enable = request.IncludeValues }, cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var records = response.Result.Select(p => ToRecord(p, request.IncludeValues, request.IncludeMetadata)).ToList();
        var next = response.NextPageOffset is { PointIdOptionsCase: PointId.PointIdOptionsOneofCase.Uuid } nextId
            ? Core.Domain.IdCursor.Encode(CursorMarker, nextId.Uuid)
            : null;
        return new RecordPage(records, next);
    }

    public IAsyncEnumerable<VectorRecord> ScanAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(request);
        return PagedScan.ScanAsync((page, ct) => ListAsync(index, page, ct), request, cancellationToken);
    }
}
