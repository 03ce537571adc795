namespace Theodore.Api.Errors;

/// <summary>Codes for errors that arise in the HTTP layer rather than in storage (those are in Core's ErrorCodes).</summary>
public static class ApiErrorCodes
{
    public const string MalformedRequest = "malformed_request";
    public const string PayloadTooLarge = "payload_too_large";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string MethodNotAllowed = "method_not_allowed";
    public const string UnsupportedMediaType = "unsupported_media_type";
    public const string ClientClosedRequest = "client_closed_request";
    public const string InternalError = "internal_error";

    /// <summary>The embedding model's provider (OpenAI, Cohere) failed; the message says how, never with the key.</summary>
    public const string EmbeddingProviderError = "embedding_provider_error";

    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => MalformedRequest,
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status405MethodNotAllowed => MethodNotAllowed,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status415UnsupportedMediaType => UnsupportedMediaType,
        StatusCodes.Status429TooManyRequests => Core.Errors.ErrorCodes.RateLimited,
        _ => InternalError,
    };
}
