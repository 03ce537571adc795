using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Theodore.Adapters.Embeddings.Remote;

/// <summary>
/// Where a remote provider's failures become <see cref="EmbeddingProviderException"/>s: the status decides whether it is
/// transient, the body gives the provider's own words (OpenAI's <c>{"error":{"message"}}</c>, Cohere's
/// <c>{"message"}</c>, or plain text), <c>Retry-After</c> (seconds or an HTTP date) is kept, and the API key is
/// scrubbed from every message.
/// </summary>
internal static class RemoteErrors
{
    private const int MaxDetailLength = 300;

    /// <summary>The exception for an answer with <paramref name="status"/>.</summary>
    public static EmbeddingProviderException FromStatus(string displayName, string provider, string model, int status, string? body, string? retryAfter, string? apiKey)
    {
        var detail = Detail(body);
        var reason = Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : "error";
        var hint = status switch
        {
            401 or 403 => " Check the API key.",
            404 => " Check the base URL and the model.",
            _ => string.Empty,
        };
        var message = string.Create(CultureInfo.InvariantCulture, $"{displayName} answered {status} {reason} to an embedding request for model '{model}'{(detail is null ? "." : ": " + detail)}{hint}");
        var transient = status is 408 or 429 or >= 500;
        return new EmbeddingProviderException(Scrub(message, apiKey), provider, status, transient, transient ? RetryAfter(retryAfter) : null);
    }

    /// <summary>The exception when no answer came: no connection, a timeout, an open circuit.</summary>
    public static EmbeddingProviderException Unreachable(string displayName, string provider, string model, string what, string? apiKey) =>
        new(Scrub($"{displayName} could not be reached for an embedding request for model '{model}': {what}", apiKey), provider, statusCode: null, isTransient: true);

    /// <summary>Replaces the API key wherever it appears (it should not, but a proxy may echo a header).</summary>
    public static string Scrub(string text, string? apiKey) =>
        string.IsNullOrEmpty(apiKey) || string.IsNullOrEmpty(text) ? text : text.Replace(apiKey, "***", StringComparison.Ordinal);

    /// <summary>Seconds or an HTTP date, as RFC 9110 allows; a date in the past means now.</summary>
    public static TimeSpan? RetryAfter(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        if (DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date))
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    private static string? Detail(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("error", out var error))
                {
                    if (error.ValueKind == JsonValueKind.Object && StringOf(error, "message") is { } nested)
                    {
                        return Truncate(nested);
                    }

                    if (error.ValueKind == JsonValueKind.String)
                    {
                        return Truncate(error.GetString()!);
                    }
                }

                if (StringOf(root, "message") is { } message)
                {
                    return Truncate(message);
                }
            }
        }
        catch (JsonException)
        {
            // not JSON: the raw text below
        }

        return Truncate(body.Trim());
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Truncate(string text) => text.Length <= MaxDetailLength ? text : text[..MaxDetailLength] + "...";
}
