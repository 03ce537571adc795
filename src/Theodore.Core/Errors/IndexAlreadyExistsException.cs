namespace Theodore.Core.Errors;

/// <summary>An index with that name exists already.</summary>
public sealed class IndexAlreadyExistsException : VectorStorageException
{
    public IndexAlreadyExistsException(string index)
        : base($"Index '{index}' already exists.", ErrorCodes.IndexAlreadyExists)
    {
        Index = index;
    }

    public IndexAlreadyExistsException()
        : base("The index already exists.", ErrorCodes.IndexAlreadyExists)
    {
    }

    public IndexAlreadyExistsException(string message, Exception innerException)
        : base(message, ErrorCodes.IndexAlreadyExists, innerException)
    {
    }
}
