namespace Theodore.Core.Errors;

/// <summary>The operation did not finish in time; transient.</summary>
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

    public override bool IsTransient => true;
}
