using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Theodore.Core.Errors;

namespace Theodore.Api.Errors;

/// <summary>
/// Turns every exception into problem details with a machine-readable <c>code</c>: Core's storage errors by
/// <see cref="ErrorStatus"/>, malformed or oversized bodies as 400/413, anything unexpected as 500 without internals.
/// </summary>
public sealed partial class ProblemDetailsExceptionHandler(ProblemWriter problems, ILogger<ProblemDetailsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        switch (exception)
        {
            case VectorStorageException storage:
                await WriteStorageErrorAsync(httpContext, storage).ConfigureAwait(false);
                return true;
            case BadHttpRequestException bad:
                var tooLarge = bad.StatusCode == StatusCodes.Status413PayloadTooLarge;
                await problems.WriteAsync(
                    httpContext,
                    tooLarge ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest,
                    tooLarge ? ApiErrorCodes.PayloadTooLarge : ApiErrorCodes.MalformedRequest,
                    Describe(bad)).ConfigureAwait(false);
                return true;
            case Adapters.Embeddings.EmbeddingProviderException embedding:
                // the model behind the companies API failed, not the storage: 503 when worth retrying, 502 otherwise
                if (embedding.RetryAfter is { } retryAfter)
                {
                    httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                LogEmbeddingFailure(logger, embedding.Provider, embedding.StatusCode, embedding);
                await problems.WriteAsync(
                    httpContext,
                    embedding.IsTransient ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status502BadGateway,
                    ApiErrorCodes.EmbeddingProviderError,
                    embedding.Message).ConfigureAwait(false);
                return true;
            case OperationCanceledException when httpContext.RequestAborted.IsCancellationRequested:
                httpContext.Response.StatusCode = 499;
                return true;
            default:
                LogUnexpected(logger, httpContext.Request.Method, httpContext.Request.Path, exception);
                await problems.WriteAsync(httpContext, StatusCodes.Status500InternalServerError, ApiErrorCodes.InternalError,
                    "An unexpected error occurred; it has been logged.").ConfigureAwait(false);
                return true;
        }
    }

    private async Task WriteStorageErrorAsync(HttpContext context, VectorStorageException exception)
    {
        var status = ErrorStatus.For(exception);
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (exception is InvalidRequestException invalid && invalid.Errors.Count > 0)
        {
            extensions["errors"] = invalid.Errors.Select(e => new { path = e.Path, code = e.Code, message = e.Message }).ToArray();
        }

        if (exception.Index is not null)
        {
            extensions["index"] = exception.Index;
        }

        if (exception.RetryAfter is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        if (status >= 500)
        {
            LogStorageFailure(logger, exception.Code, exception.SystemName, exception.Operation, exception);
        }

        await problems.WriteAsync(context, status, exception.Code, exception.Message, extensions).ConfigureAwait(false);
    }

    // the JSON reader's message names the position; the exception's own message only says "failed to read"
    private static string Describe(BadHttpRequestException exception) =>
        exception.InnerException is System.Text.Json.JsonException json
            ? $"The request body is not valid JSON for this endpoint: {json.Message}"
            : exception.Message;

    [LoggerMessage(EventId = 2000, Level = LogLevel.Error, Message = "Unexpected error in {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, string method, string path, Exception exception);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Embedding provider {Provider} failed with status {Status}")]
    private static partial void LogEmbeddingFailure(ILogger logger, string provider, int? status, Exception exception);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Storage error {Code} from {SystemName} during {Operation}")]
    private static partial void LogStorageFailure(ILogger logger, string code, string? systemName, string? operation, Exception exception);
}
