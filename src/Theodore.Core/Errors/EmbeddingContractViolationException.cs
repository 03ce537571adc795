namespace Theodore.Core.Errors;

/// <summary>A vector or query breaks the embedding contract the index was created with.</summary>
public sealed class EmbeddingContractViolationException : VectorStorageException
{
    public EmbeddingContractViolationException()
        : base("The request breaks the index's embedding contract.", ErrorCodes.EmbeddingContractViolation)
    {
    }

    public EmbeddingContractViolationException(string message)
        : base(message, ErrorCodes.EmbeddingContractViolation)
    {
    }

    public EmbeddingContractViolationException(string message, Exception innerException)
        : base(message, ErrorCodes.EmbeddingContractViolation, innerException)
    {
    }
}
