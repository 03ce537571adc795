namespace Theodore.Core.Errors;

/// <summary>A vector's length differs from the index dimension.</summary>
public sealed class DimensionMismatchException : InvalidRequestException
{
    public DimensionMismatchException(int expected, int actual, string path = "values")
        : this([new RequestError(path, ErrorCodes.DimensionMismatch, $"expected {expected} dimensions, got {actual}")])
    {
        Expected = expected;
    }

    public DimensionMismatchException(IReadOnlyList<RequestError> errors)
        : base(errors, ErrorCodes.DimensionMismatch)
    {
    }

    public DimensionMismatchException()
        : this([])
    {
    }

    public DimensionMismatchException(string message)
        : this([new RequestError(string.Empty, ErrorCodes.DimensionMismatch, message)])
    {
    }

    public DimensionMismatchException(string message, Exception innerException)
        : base(string.Empty, message, ErrorCodes.DimensionMismatch, innerException)
    {
    }

    public int? Expected { get; }
}
