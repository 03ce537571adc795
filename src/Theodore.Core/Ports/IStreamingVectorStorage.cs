using Theodore.Core.Domain;

namespace Theodore.Core.Ports;

/// <summary>Reads an index page by page with a resumable cursor, so a million records never sit in memory at once.</summary>
public interface IStreamingVectorStorage
{
    /// <summary>One page in id order (ordinal); <see cref="RecordPage.NextCursor"/> resumes after it.</summary>
    ValueTask<RecordPage> ListAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default);

    /// <summary>Every record from <see cref="ListRequest.Cursor"/> on, streamed in pages of <see cref="ListRequest.Limit"/>.</summary>
    IAsyncEnumerable<VectorRecord> ScanAsync(IndexName index, ListRequest request, CancellationToken cancellationToken = default);
}
