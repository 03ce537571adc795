using Theodore.Core.Errors;

namespace Theodore.Api.Errors;

/// <summary>The one mapping from Core's error hierarchy to HTTP status codes.</summary>
public static class ErrorStatus
{
    public static int For(VectorStorageException exception) => exception switch
    {
        EmbeddingContractViolationException or Application.Companies.ReembedConflictException => StatusCodes.Status409Conflict,
        InvalidRequestException or UnsupportedFilterException => StatusCodes.Status400BadRequest,
        // the request is fine; this backend cannot do it (backups on Qdrant, offset paging on Pinecone)
        UnsupportedOperationException => StatusCodes.Status501NotImplemented,
        IndexNotFoundException or RecordNotFoundException or BackupNotFoundException => StatusCodes.Status404NotFound,
        IndexAlreadyExistsException or BackupDamagedException => StatusCodes.Status409Conflict,
        RateLimitedException => StatusCodes.Status429TooManyRequests,
        CapacityExceededException => StatusCodes.Status507InsufficientStorage,
        QueryTooCostlyException => StatusCodes.Status422UnprocessableEntity,
        StorageTimeoutException => StatusCodes.Status504GatewayTimeout,
        { IsTransient: true } => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status502BadGateway,
    };
}
