namespace Theodore.Core.Errors;

/// <summary>The record does not exist in the index (and namespace).</summary>
public sealed class RecordNotFoundException : VectorStorageException
{
    public RecordNotFoundException(string index, string id)
        : base($"Record '{id}' does not exist in index '{index}'.", ErrorCodes.RecordNotFound)
    {
        Index = index;
    }

    /// <summary>A refusal in words of its own, e.g. an atomic batch naming every operation whose record is missing.</summary>
    public RecordNotFoundException(string message)
        : base(message, ErrorCodes.RecordNotFound)
    {
    }

    public RecordNotFoundException()
        : base("The record was not found.", ErrorCodes.RecordNotFound)
    {
    }

    public RecordNotFoundException(string message, Exception innerException)
        : base(message, ErrorCodes.RecordNotFound, innerException)
    {
    }
}
