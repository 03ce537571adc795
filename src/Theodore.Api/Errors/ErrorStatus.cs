using Theodore.Core.Errors;

namespace Theodore.Api.Errors;

/// <summary>The one mapping from Core's error hierarchy to HTTP status codes.</summary>
public static class ErrorStatus
{
    public static int For(VectorStorageException exception) => exception switch
    {
        EmbeddingContractViolationException => StatusCodes.Status409Conflict,
        InvalidRequestException or UnsupportedFilterException or UnsupportedOperationException => StatusCodes.Status400BadRequest,
        IndexNotFoundException or RecordNotFoundException or BackupNotFoundException => StatusCodes.Status404NotFound,
        IndexAlreadyExistsException or BackupDamagedException => StatusCodes.Status409Conflict,
        RateLimitedException => StatusCodes.Status429TooManyRequests,
        CapacityExceededException => StatusCodes.Status507InsufficientStorage,
        StorageTimeoutException => StatusCodes.Status504GatewayTimeout,
        { IsTransient: true } => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status502BadGateway,
    };
}
