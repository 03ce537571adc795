namespace Theodore.Core.Errors;

/// <summary>
/// A vector or query breaks the embedding contract the index was created with (409 on the API). Nothing was
/// written; every violation is listed with its path.
/// </summary>
public sealed class EmbeddingContractViolationException : InvalidRequestException
{
    public EmbeddingContractViolationException(IReadOnlyList<RequestError> errors)
        : base(errors, ErrorCodes.EmbeddingContractViolation)
    {
    }

    public EmbeddingContractViolationException()
        : this("The request breaks the index's embedding contract.")
    {
    }

    public EmbeddingContractViolationException(string message)
        : base(string.Empty, message, ErrorCodes.EmbeddingContractViolation, null)
    {
    }

    public EmbeddingContractViolationException(string message, Exception innerException)
        : base(string.Empty, message, ErrorCodes.EmbeddingContractViolation, innerException)
    {
    }
}
