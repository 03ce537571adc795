namespace Theodore.Core.Errors;

/// <summary>The backend asked us to slow down; transient, often with RetryAfter.</summary>
public sealed class RateLimitedException : VectorStorageException
{
    public RateLimitedException()
        : base("The backend is rate limiting requests.", ErrorCodes.RateLimited)
    {
    }

    public RateLimitedException(string message)
        : base(message, ErrorCodes.RateLimited)
    {
    }

    public RateLimitedException(string message, Exception innerException)
        : base(message, ErrorCodes.RateLimited, innerException)
    {
    }

    public override bool IsTransient => true;
}
