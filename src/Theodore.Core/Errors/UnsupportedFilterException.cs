namespace Theodore.Core.Errors;

/// <summary>The backend cannot express a filter operator; adapters throw this rather than drop a clause.</summary>
public sealed class UnsupportedFilterException : VectorStorageException
{
    public UnsupportedFilterException()
        : base("The backend cannot express this filter.", ErrorCodes.UnsupportedFilter)
    {
    }

    public UnsupportedFilterException(string message)
        : base(message, ErrorCodes.UnsupportedFilter)
    {
    }

    public UnsupportedFilterException(string message, Exception innerException)
        : base(message, ErrorCodes.UnsupportedFilter, innerException)
    {
    }
}
