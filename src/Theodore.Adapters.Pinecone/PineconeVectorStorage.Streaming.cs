using System.Buffers.Text;
using System.Text;
using Theodore.Adapters.Pinecone.Wire;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Pinecone;

public sealed partial class PineconeVectorStorage
{
    private const string CursorMarker = "pinecone-list:";

    /// <summary>
    /// One page in Pinecone's id order (bitwise, which is ordinal for UTF-8): <c>GET /vectors/list</c> for the ids (up to
    /// 100 per request, so a page of <see cref="ListRequest.Limit"/> ids costs <c>ceil(limit / 100)</c> list requests),
    /// then <c>GET /vectors/fetch</c> for their values and metadata when asked for or when a filter must be checked
    /// (1,000 ids per fetch). Pinecone lists without filters, so a filter is checked here on the fetched metadata with
    /// <see cref="FilterEvaluator"/> (after the same refusals as in a search): a filtered page may hold fewer records
    /// than the limit, and the cursor still goes on. The cursor wraps Pinecone's pagination token.
    /// </summary>
    public async ValueTask<RecordPage> ListAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(request);
        const string operation = "List";
        Core.Domain.Operations.RecordOperationRules.ThrowIfIncludeDeletedRefused(PineconeCapabilities, request.IncludeDeleted, index.Value, operation);
        var token = request.Cursor is null ? null : DecodeCursor(request.Cursor, index.Value);
        _ = PineconeFilters.Translate(request.Filter, index.Value, operation);
        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var target = WireNamespace(request.Namespace, index, operation);

        var ids = new List<string>(request.Limit);
        do
        {
            var limit = Math.Min(PineconeLimits.MaxListPage, request.Limit - ids.Count);
            var pageToken = token;
            var page = await DataAsync(known, operation, (data, ct) => data.ListAsync(limit, pageToken, target, ct), cancellationToken).ConfigureAwait(false);
            ids.AddRange((page.Vectors ?? []).Select(v => v.Id));
            token = string.IsNullOrEmpty(page.Pagination?.Next) ? null : page.Pagination.Next;
        }
        while (token is not null && ids.Count < request.Limit);

        List<VectorRecord> records;
        if (request.IncludeValues || request.IncludeMetadata || request.Filter is not null)
        {
            var fetched = await FetchAsync(known, ids, target, operation, cancellationToken).ConfigureAwait(false);
            records = new List<VectorRecord>(ids.Count);
            foreach (var id in ids)
            {
                if (!fetched.TryGetValue(id, out var vector))
                {
                    continue; // deleted between the list and the fetch
                }

                var record = FromWire(vector, index.Value, request.IncludeValues, includeMetadata: true);
                if (request.Filter is not null && !FilterEvaluator.Matches(request.Filter, record.Metadata))
                {
                    continue;
                }

                records.Add(request.IncludeMetadata ? record : record with { Metadata = Metadata.Empty });
            }
        }
        else
        {
            records = ids.Select(id => new VectorRecord(VectorId.FromStored(id), ReadOnlyMemory<float>.Empty, Metadata.Empty)).ToList();
        }

        return new RecordPage(records, token is null ? null : EncodeCursor(token));
    }

    public IAsyncEnumerable<VectorRecord> ScanAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(request);
        return PagedScan.ScanAsync((page, ct) => ListAsync(index, page, ct), request, cancellationToken);
    }

    private static string EncodeCursor(string token) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CursorMarker + token));

    private static string DecodeCursor(string cursor, string index)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith(CursorMarker, StringComparison.Ordinal) && text.Length > CursorMarker.Length)
            {
                return text[CursorMarker.Length..];
            }
        }
        catch (FormatException)
        {
            // not base64url: refused below
        }

        throw new InvalidRequestException("cursor", "is not a cursor this backend returned") { SystemName = PineconeConstants.SystemName, Index = index, Operation = "List" };
    }
}
