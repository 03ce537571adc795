namespace Theodore.Core.Errors;

/// <summary>Too many calls are in flight or waiting for the backend (the bulkhead is full); transient, with RetryAfter.</summary>
public sealed class StorageBusyException : VectorStorageException
{
    public StorageBusyException()
        : base("The storage is busy: too many calls are in flight or waiting.", ErrorCodes.StorageBusy)
    {
    }

    public StorageBusyException(string message)
        : base(message, ErrorCodes.StorageBusy)
    {
    }

    public StorageBusyException(string message, Exception innerException)
        : base(message, ErrorCodes.StorageBusy, innerException)
    {
    }

    public override bool IsTransient => true;
}
