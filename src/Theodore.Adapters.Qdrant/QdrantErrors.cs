using System.Globalization;
using System.Text.RegularExpressions;
using Grpc.Core;
using Qdrant.Client;
using Theodore.Core.Errors;

namespace Theodore.Adapters.Qdrant;

/// <summary>
/// The one place Qdrant's failures become Theodore's errors. The client surfaces a gRPC status as
/// <see cref="RpcException"/>, and an OK answer with <c>result=false</c> (deleting a missing collection) as
/// <see cref="QdrantException"/>. Statuses as Qdrant's server sends them (lib/storage/src/content_manager/conversions.rs):
/// <list type="table">
/// <item><term>NOT_FOUND</term><description><see cref="IndexNotFoundException"/>, or <see cref="RecordNotFoundException"/> for "No point with id"</description></item>
/// <item><term>ALREADY_EXISTS</term><description><see cref="IndexAlreadyExistsException"/></description></item>
/// <item><term>INVALID_ARGUMENT, OUT_OF_RANGE</term><description><see cref="DimensionMismatchException"/> for "expected dim: N, got M", else <see cref="InvalidRequestException"/></description></item>
/// <item><term>RESOURCE_EXHAUSTED</term><description><see cref="CapacityExceededException"/> with the <c>qdrant-insufficient-storage</c> trailer, else <see cref="RateLimitedException"/> (transient) with <c>retry-after</c> seconds as RetryAfter</description></item>
/// <item><term>UNAVAILABLE, ABORTED, CANCELLED (not by the caller)</term><description><see cref="StorageUnavailableException"/> (transient)</description></item>
/// <item><term>DEADLINE_EXCEEDED</term><description><see cref="StorageTimeoutException"/> (transient)</description></item>
/// <item><term>UNIMPLEMENTED</term><description><see cref="UnsupportedOperationException"/></description></item>
/// <item><term>PERMISSION_DENIED, UNAUTHENTICATED, FAILED_PRECONDITION, INTERNAL, DATA_LOSS, UNKNOWN</term><description><see cref="VectorStorageException"/> <c>backend_error</c>, not transient</description></item>
/// </list>
/// Messages carry the server's words and the status, never request headers, so the API key cannot leak through them.
/// </summary>
internal static partial class QdrantErrors
{
    public static Exception Map(Exception error, string? index, string operation, string? recordId = null, CancellationToken cancellationToken = default)
    {
        return error switch
        {
            RpcException rpc when rpc.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested => new OperationCanceledException("The Qdrant call was cancelled.", rpc, cancellationToken),
            RpcException rpc => FromStatus(rpc, index, operation, recordId),
            QdrantException qdrant when operation == "DeleteIndex" => new IndexNotFoundException($"Index '{index}' does not exist.", qdrant) { SystemName = QdrantConstants.SystemName, Index = index, Operation = operation },
            QdrantException qdrant => new VectorStorageException($"Qdrant refused {operation}: {qdrant.Message}", ErrorCodes.BackendError, qdrant) { SystemName = QdrantConstants.SystemName, Index = index, Operation = operation },
            _ => error,
        };
    }

    private static VectorStorageException FromStatus(RpcException rpc, string? index, string operation, string? recordId)
    {
        const string System = QdrantConstants.SystemName;
        var detail = rpc.Status.Detail;
        var retryAfter = RetryAfter(rpc.Trailers);
        var words = $"Qdrant answered {rpc.StatusCode} to {operation}: {detail}";
        return rpc.StatusCode switch
        {
            StatusCode.NotFound when detail.Contains("No point with id", StringComparison.Ordinal) =>
                new RecordNotFoundException(index ?? string.Empty, recordId ?? string.Empty) { SystemName = System, Index = index, Operation = operation },
            StatusCode.NotFound =>
                new IndexNotFoundException($"Index '{index}' does not exist.", rpc) { SystemName = System, Index = index, Operation = operation },
            StatusCode.AlreadyExists =>
                new IndexAlreadyExistsException($"Index '{index}' already exists.", rpc) { SystemName = System, Index = index, Operation = operation },
            StatusCode.InvalidArgument or StatusCode.OutOfRange when DimensionPattern().Match(detail) is { Success: true } m =>
                new DimensionMismatchException(Number(m.Groups["expected"].Value), Number(m.Groups["got"].Value), operation.StartsWith("Search", StringComparison.Ordinal) ? "vector" : "values")
                {
                    SystemName = System,
                    Index = index,
                    Operation = operation,
                },
            StatusCode.InvalidArgument or StatusCode.OutOfRange =>
                new InvalidRequestException(words, rpc) { SystemName = System, Index = index, Operation = operation },
            StatusCode.ResourceExhausted when rpc.Trailers.Get("qdrant-insufficient-storage") is not null =>
                new CapacityExceededException(words, rpc) { SystemName = System, Index = index, Operation = operation, RetryAfter = retryAfter },
            StatusCode.ResourceExhausted =>
                new RateLimitedException(words, rpc) { SystemName = System, Index = index, Operation = operation, RetryAfter = retryAfter },
            StatusCode.Unavailable or StatusCode.Aborted or StatusCode.Cancelled =>
                new StorageUnavailableException(words, rpc) { SystemName = System, Index = index, Operation = operation, RetryAfter = retryAfter },
            StatusCode.DeadlineExceeded =>
                new StorageTimeoutException(words, rpc) { SystemName = System, Index = index, Operation = operation, RetryAfter = retryAfter },
            StatusCode.Unimplemented =>
                new UnsupportedOperationException(words, rpc) { SystemName = System, Index = index, Operation = operation },
            _ => new VectorStorageException(words, ErrorCodes.BackendError, rpc) { SystemName = System, Index = index, Operation = operation },
        };
    }

    private static int Number(string digits) => int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;

    private static TimeSpan? RetryAfter(Metadata trailers)
    {
        var value = trailers.GetValue("retry-after");
        return value is not null && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 && double.IsFinite(seconds)
            ? TimeSpan.FromSeconds(seconds)
            : null;
    }

    [GeneratedRegex(@"expected dim: (?<expected>\d+), got (?<got>\d+)", RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DimensionPattern();
}
