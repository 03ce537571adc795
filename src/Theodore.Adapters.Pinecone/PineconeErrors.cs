using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Polly.Timeout;
using Refit;
using Theodore.Core.Errors;

namespace Theodore.Adapters.Pinecone;

/// <summary>
/// The one place where Pinecone's failures become Theodore's errors. Both error bodies are read (the control plane's
/// <c>{"error":{"code","message"},"status"}</c> and the data plane's google.rpc.Status <c>{"code","message"}</c>, or
/// plain text), the status decides the type, <c>Retry-After</c> (seconds or an HTTP date) becomes
/// <see cref="VectorStorageException.RetryAfter"/>. The API key is scrubbed from every message and no exception that
/// carries the request (and so the key header) is kept as an inner exception.
/// </summary>
internal static class PineconeErrors
{
    private const int MaxMessageLength = 300;

    /// <summary>What a 404 means for the call that received it.</summary>
    public enum NotFoundMeaning
    {
        Index,
        Record,
    }

    public static Exception Map(Exception error, ErrorContext context, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error switch
        {
            VectorStorageException already => already,
            ApiException api => FromStatus(api.StatusCode, api.Content, api.Headers, context, time),
            ApiRequestException { InnerException: TimeoutRejectedException or HttpRequestException or OperationCanceledException } request => Map(request.InnerException!, context, time),
            ApiRequestException request => new StorageUnavailableException(Scrub($"Pinecone could not be reached for {context.Operation}: {request.InnerException?.Message ?? request.Message}", context.ApiKey))
            {
                SystemName = PineconeConstants.SystemName,
                Index = context.Index,
                Operation = context.Operation,
            },
            TimeoutRejectedException => new StorageTimeoutException($"Pinecone did not answer {context.Operation} within the attempt timeout.")
            {
                SystemName = PineconeConstants.SystemName,
                Index = context.Index,
                Operation = context.Operation,
            },
            HttpRequestException http => new StorageUnavailableException(Scrub($"Pinecone could not be reached for {context.Operation}: {http.Message}", context.ApiKey))
            {
                SystemName = PineconeConstants.SystemName,
                Index = context.Index,
                Operation = context.Operation,
            },
            TaskCanceledException or OperationCanceledException when !context.CancellationRequested => new StorageTimeoutException($"Pinecone did not answer {context.Operation} in time.")
            {
                SystemName = PineconeConstants.SystemName,
                Index = context.Index,
                Operation = context.Operation,
            },
            _ => error,
        };
    }

    /// <summary>The error for an HTTP status with its body and headers; public for the golden tests.</summary>
    public static VectorStorageException FromStatus(HttpStatusCode status, string? body, HttpResponseHeaders? headers, ErrorContext context, TimeProvider time)
    {
        var (code, text) = ReadBody(body);
        var message = Scrub(Describe(status, code, text, context), context.ApiKey);
        var retryAfter = RetryAfter(headers, time);
        var index = context.Index;
        var operation = context.Operation;
        const string system = PineconeConstants.SystemName;
        return (int)status switch
        {
            400 when IsDimensionMessage(text) => new DimensionMismatchException(message) { SystemName = system, Index = index, Operation = operation },
            400 or 422 => new InvalidRequestException(message) { SystemName = system, Index = index, Operation = operation },
            401 => new VectorStorageException($"Pinecone refused the API key (401 Unauthorized) for {operation}.", ErrorCodes.BackendError) { SystemName = system, Index = index, Operation = operation },
            402 => new CapacityExceededException(message) { SystemName = system, Index = index, Operation = operation },
            403 when IsDeletionProtection(text) => new InvalidRequestException(message) { SystemName = system, Index = index, Operation = operation },
            403 when IsQuota(code, text) => new CapacityExceededException(message) { SystemName = system, Index = index, Operation = operation },
            403 => new VectorStorageException(message, ErrorCodes.BackendError) { SystemName = system, Index = index, Operation = operation },
            404 when context.NotFound == NotFoundMeaning.Record => new RecordNotFoundException(message, new InvalidOperationException("Pinecone answered 404")) { SystemName = system, Index = index, Operation = operation },
            404 => new IndexNotFoundException(message, new InvalidOperationException("Pinecone answered 404")) { SystemName = system, Index = index, Operation = operation },
            409 => new IndexAlreadyExistsException(message, new InvalidOperationException("Pinecone answered 409")) { SystemName = system, Index = index, Operation = operation },
            412 => new InvalidRequestException(message) { SystemName = system, Index = index, Operation = operation },
            408 or 504 => new StorageTimeoutException(message) { SystemName = system, Index = index, Operation = operation, RetryAfter = retryAfter },
            429 => new RateLimitedException(message) { SystemName = system, Index = index, Operation = operation, RetryAfter = retryAfter },
            >= 500 => new StorageUnavailableException(message) { SystemName = system, Index = index, Operation = operation, RetryAfter = retryAfter },
            _ => new VectorStorageException(message, ErrorCodes.BackendError) { SystemName = system, Index = index, Operation = operation },
        };
    }

    /// <summary>Seconds or an HTTP date, as RFC 9110 allows; a date in the past means now.</summary>
    public static TimeSpan? RetryAfter(HttpResponseHeaders? headers, TimeProvider time)
    {
        var value = headers?.RetryAfter;
        if (value is null)
        {
            return null;
        }

        if (value.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (value.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>Replaces the API key wherever it appears (it never should, but a proxy may echo a header).</summary>
    public static string Scrub(string text, string? apiKey) =>
        string.IsNullOrEmpty(apiKey) || string.IsNullOrEmpty(text) ? text : text.Replace(apiKey, "***", StringComparison.Ordinal);

    // Like the official Python SDK: error.message of the control plane, else message/detail/description, else the text.
    private static (string? Code, string? Text) ReadBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
                {
                    return (StringOf(error, "code"), StringOf(error, "message"));
                }

                var code = root.TryGetProperty("code", out var c) ? c.ToString() : null;
                foreach (var name in (string[])["message", "detail", "description"])
                {
                    if (StringOf(root, name) is { } text)
                    {
                        return (code, text);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // not JSON: the raw text below
        }

        return (null, Truncate(body.Trim()));
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Describe(HttpStatusCode status, string? code, string? text, ErrorContext context)
    {
        var what = context.Index is null ? context.Operation : $"{context.Operation} on index '{context.Index}'";
        var detail = string.IsNullOrEmpty(text) ? ReasonPhrase(status) : Truncate(text);
        var codePart = string.IsNullOrEmpty(code) ? string.Empty : $" {code}";
        return string.Create(CultureInfo.InvariantCulture, $"Pinecone answered {(int)status}{codePart} to {what}: {detail}");
    }

    private static string ReasonPhrase(HttpStatusCode status) => status.ToString();

    private static string Truncate(string text) => text.Length <= MaxMessageLength ? text : text[..MaxMessageLength] + "...";

    private static bool IsDimensionMessage(string? text) =>
        text is not null && text.Contains("dimension", StringComparison.OrdinalIgnoreCase);

    private static bool IsDeletionProtection(string? text) =>
        text is not null && text.Contains("deletion protection", StringComparison.OrdinalIgnoreCase);

    private static bool IsQuota(string? code, string? text) =>
        string.Equals(code, "QUOTA_EXCEEDED", StringComparison.Ordinal)
        || string.Equals(code, "RESOURCE_EXHAUSTED", StringComparison.Ordinal)
        || (text is not null && text.Contains("quota", StringComparison.OrdinalIgnoreCase));
}

/// <summary>Where an error happened, for its message and context; carries the key only to scrub it.</summary>
internal sealed record ErrorContext(string Operation, string? Index, string? ApiKey, bool CancellationRequested = false, PineconeErrors.NotFoundMeaning NotFound = PineconeErrors.NotFoundMeaning.Index)
{
    public override string ToString() => $"{Operation} {Index}";
}
