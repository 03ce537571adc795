using Qdrant.Client.Grpc;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Qdrant;

public sealed partial class QdrantVectorStorage
{
    /// <summary>
    /// GetCollectionInfo, then a Scroll over the whole collection (payload keys only, pages of 1,000): Qdrant keeps no
    /// per-field or per-tenant counts, so this costs one call per 1,000 points. Memory is not known (null).
    /// </summary>
    public async ValueTask<IndexStats> GetStatsAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        const string operation = "GetStats";
        var info = await CallAsync(index.Value, operation, () => _client.GetCollectionInfoAsync(index.Value, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (QdrantIndexMetadata.FromInfo(index, info) is not var (definition, createdAt))
        {
            throw Unservable(index, operation);
        }

        _definitions[index.Value] = definition;
        var fields = new SortedDictionary<string, long>(StringComparer.Ordinal);
        var namespaces = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        PointId? offset = null;
        var payload = new WithPayloadSelector { Include = Fields(QdrantPayload.NamespaceKey, QdrantPayload.KeysKey) };
        do
        {
            var from = offset;
            var page = await CallAsync(
                index.Value,
                operation,
                () => _client.ScrollAsync(index.Value, null, 1000, from, payload, new WithVectorsSelector { Enable = false }, cancellationToken: cancellationToken),
                cancellationToken).ConfigureAwait(false);
            foreach (var point in page.Result)
            {
                total++;
                var ns = point.Payload.TryGetValue(QdrantPayload.NamespaceKey, out var n) ? n.StringValue : string.Empty;
                namespaces[ns] = namespaces.GetValueOrDefault(ns) + 1;
                if (point.Payload.TryGetValue(QdrantPayload.KeysKey, out var keys) && keys.KindCase == Value.KindOneofCase.ListValue)
                {
                    foreach (var key in keys.ListValue.Values)
                    {
                        fields[key.StringValue] = fields.GetValueOrDefault(key.StringValue) + 1;
                    }
                }
            }

            offset = page.NextPageOffset;
        }
        while (offset is not null);

        var unindexed = info.HasPointsCount && info.HasIndexedVectorsCount ? Math.Max(0, (long)info.PointsCount - (long)info.IndexedVectorsCount) : (long?)null;
        return new IndexStats(total, definition.Dimension, definition.Metric, null, fields, namespaces, createdAt, null) { UnindexedVectors = unindexed };
    }
}
