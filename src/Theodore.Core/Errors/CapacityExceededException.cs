namespace Theodore.Core.Errors;

/// <summary>A memory or disk budget would be exceeded; reads keep working.</summary>
public sealed class CapacityExceededException : VectorStorageException
{
    public CapacityExceededException()
        : base("A memory or disk budget would be exceeded.", ErrorCodes.CapacityExceeded)
    {
    }

    public CapacityExceededException(string message)
        : base(message, ErrorCodes.CapacityExceeded)
    {
    }

    public CapacityExceededException(string message, Exception innerException)
        : base(message, ErrorCodes.CapacityExceeded, innerException)
    {
    }
}
