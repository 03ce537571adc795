using System.Runtime.CompilerServices;
using Theodore.Core.Domain;

namespace Theodore.Infrastructure.Decorators;

/// <summary>
/// A scan as a loop of page reads, so a decorator can guard each page (a retry, a bulkhead slot) instead of one
/// long stream; the cursor makes every page resumable.
/// </summary>
internal static class PagedScan
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
