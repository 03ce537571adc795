using System.Runtime.CompilerServices;
using Theodore.Core.Domain;

namespace Theodore.Core.Ports;

/// <summary>
/// <see cref="IStreamingVectorStorage.ScanAsync"/> as a loop of page reads from <see cref="IStreamingVectorStorage.ListAsync"/>:
/// adapters implement their scan with it, and a decorator can guard each page (a retry, a bulkhead slot) instead of
/// one long stream. The cursor makes every page resumable.
/// </summary>
public static class PagedScan
{
    public static async IAsyncEnumerable<VectorRecord> ScanAsync(
        Func<ListRequest, CancellationToken, ValueTask<RecordPage>> listPage,
        ListRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = request;
        while (true)
        {
            var result = await listPage(page, cancellationToken).ConfigureAwait(false);
            foreach (var record in result.Records)
            {
                yield return record;
            }

            if (result.NextCursor is null)
            {
                yield break;
            }

            page = page with { Cursor = result.NextCursor };
        }
    }
}
