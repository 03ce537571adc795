namespace Theodore.Core.Errors;

/// <summary>The named index does not exist.</summary>
public sealed class IndexNotFoundException : VectorStorageException
{
    public IndexNotFoundException(string index)
        : base($"Index '{index}' does not exist.", ErrorCodes.IndexNotFound)
    {
        Index = index;
    }

    public IndexNotFoundException()
        : base("The index was not found.", ErrorCodes.IndexNotFound)
    {
    }

    public IndexNotFoundException(string message, Exception innerException)
        : base(message, ErrorCodes.IndexNotFound, innerException)
    {
    }
}
