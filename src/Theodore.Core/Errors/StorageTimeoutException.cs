namespace Theodore.Core.Errors;

/// <summary>
/// The operation did not finish in time. Transient when a backend or the resilience pipeline timed out; not when the
/// caller's own deadline (<see cref="Domain.SearchOptions.Timeout"/>) passed, since the same call with the same
/// deadline would most likely run out of time again.
/// </summary>
public sealed class StorageTimeoutException : VectorStorageException
{
    public StorageTimeoutException()
        : base("The storage operation timed out.", ErrorCodes.Timeout)
    {
    }

    public StorageTimeoutException(string message)
        : base(message, ErrorCodes.Timeout)
    {
    }

    public StorageTimeoutException(string message, Exception innerException)
        : base(message, ErrorCodes.Timeout, innerException)
    {
    }

    /// <summary>The caller's deadline that passed; null when something else timed out.</summary>
    public TimeSpan? Deadline { get; init; }

    public override bool IsTransient => Deadline is null;
}
