namespace Theodore.Core.Errors;

/// <summary>The backend cannot be reached or refused to serve; transient.</summary>
public sealed class StorageUnavailableException : VectorStorageException
{
    public StorageUnavailableException()
        : base("The storage backend is unavailable.", ErrorCodes.StorageUnavailable)
    {
    }

    public StorageUnavailableException(string message)
        : base(message, ErrorCodes.StorageUnavailable)
    {
    }

    public StorageUnavailableException(string message, Exception innerException)
        : base(message, ErrorCodes.StorageUnavailable, innerException)
    {
    }

    public override bool IsTransient => true;
}
