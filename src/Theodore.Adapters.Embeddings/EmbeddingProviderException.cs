namespace Theodore.Adapters.Embeddings;

/// <summary>
/// A remote embedding provider refused a request or could not be reached. The message names the provider, the status
/// and what the provider said, never the API key. It carries no inner exception that holds the request (whose headers
/// hold the key). <see cref="IsTransient"/> is true for what retrying later may fix (429, 5xx, timeouts, no
/// connection); the HTTP pipeline has already retried those before this is thrown.
/// </summary>
public sealed class EmbeddingProviderException : Exception
{
    public EmbeddingProviderException(string message, string provider, int? statusCode, bool isTransient, TimeSpan? retryAfter = null)
        : base(message)
    {
        Provider = provider;
        StatusCode = statusCode;
        IsTransient = isTransient;
        RetryAfter = retryAfter;
    }

    public EmbeddingProviderException()
        : this("The embedding provider failed.", "unknown", statusCode: null, isTransient: false)
    {
    }

    public EmbeddingProviderException(string message)
        : this(message, "unknown", statusCode: null, isTransient: false)
    {
    }

    public EmbeddingProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
        Provider = "unknown";
    }

    /// <summary>The provider as its generator reports it (<c>openai</c>, <c>cohere</c>).</summary>
    public string Provider { get; }

    /// <summary>The HTTP status of the last answer; null when none came (no connection, timeout).</summary>
    public int? StatusCode { get; }

    public bool IsTransient { get; }

    /// <summary>How long the provider asked to wait, when it said so.</summary>
    public TimeSpan? RetryAfter { get; }
}
