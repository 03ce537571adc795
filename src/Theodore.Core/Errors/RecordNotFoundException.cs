namespace Theodore.Core.Errors;

/// <summary>The record does not exist in the index (and namespace).</summary>
public sealed class RecordNotFoundException : VectorStorageException
{
    public RecordNotFoundException(string index, string id)
        : base($"Record '{id}' does not exist in index '{index}'.", ErrorCodes.RecordNotFound)
    {
        Index = index;
    }

    public RecordNotFoundException()
        : base("The record was not found.", ErrorCodes.RecordNotFound)
    {
    }

    /// <summary>For a message naming several records (an atomic batch refused for the ones it found missing).</summary>
    public RecordNotFoundException(string message)
        : base(message, ErrorCodes.RecordNotFound)
    {
    }

    public RecordNotFoundException(string message, Exception innerException)
        : base(message, ErrorCodes.RecordNotFound, innerException)
    {
    }
}
