namespace Theodore.Core.Errors;

/// <summary>The backend cannot perform the operation (its capabilities say so).</summary>
public sealed class UnsupportedOperationException : VectorStorageException
{
    public UnsupportedOperationException()
        : base("The backend does not support this operation.", ErrorCodes.UnsupportedOperation)
    {
    }

    public UnsupportedOperationException(string message)
        : base(message, ErrorCodes.UnsupportedOperation)
    {
    }

    public UnsupportedOperationException(string message, Exception innerException)
        : base(message, ErrorCodes.UnsupportedOperation, innerException)
    {
    }
}
