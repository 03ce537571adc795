using Theodore.Core.Domain;
using Theodore.Core.Ports;
using Theodore.Engine;

namespace Theodore.Adapters.Native;

// Id-ordered pages and scans.
public sealed partial class NativeVectorStorage : IStreamingVectorStorage
{
    public ValueTask<RecordPage> ListAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default) =>
        Run("List", index, () =>
        {
            ArgumentNullException.ThrowIfNull(request);
            var stored = Find(index, "List");
            var after = request.Cursor is null ? null : DecodeCursor(request.Cursor);
            var filter = TranslateFilter(request.Filter);
            var shard = stored.Find(request.Namespace);
            return shard is null ? new RecordPage([], null) : List(shard, request, after, filter);
        }, cancellationToken);

    public IAsyncEnumerable<VectorRecord> ScanAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(request);
        return PagedScan.ScanAsync((page, ct) => ListAsync(index, page, ct), request, cancellationToken);
    }

    private static RecordPage List(Shard shard, ListRequest request, string? after, EngineFilter? filter)
    {
        var engine = shard.Engine;
        var needRecord = filter is not null || request.IncludeValues || request.IncludeMetadata || request.IncludeDeleted;
        var page = new List<VectorRecord>(request.Limit);
        var last = after;
        while (true)
        {
            var batch = filter is null ? request.Limit + 1 : ListScanPage;
            var keys = engine.ListKeys(last, batch, filter: null, request.IncludeDeleted);
            foreach (var key in keys)
            {
                last = key;
                EngineRecord? record = null;
                if (needRecord)
                {
                    // Deleted since the key list was taken, or filtered out.
                    record = engine.Get(key, request.IncludeDeleted);
                    if (record is null || (filter is not null && !filter.Evaluate(record.Metadata)))
                    {
                        continue;
                    }
                }

                if (page.Count == request.Limit)
                {
                    return new RecordPage(page, EncodeCursor(page[^1].Id.Value));
                }

                page.Add(new VectorRecord(
                    VectorId.Parse(key),
                    request.IncludeValues ? record!.Vector : ReadOnlyMemory<float>.Empty,
                    request.IncludeMetadata ? NativeMapper.ToCore(record!.Metadata) : Metadata.Empty)
                {
                    ExpiresAt = record?.ExpiresAt,
                    DeletedAt = record?.DeletedAt,
                });
            }

            if (keys.Count < batch)
            {
                return new RecordPage(page, null);
            }
        }
    }

    private static string EncodeCursor(string lastId) => IdCursor.Encode(CursorPrefix, lastId);

    private static string DecodeCursor(string cursor) => IdCursor.Decode(CursorPrefix, cursor, NativeConstants.SystemName);
}
