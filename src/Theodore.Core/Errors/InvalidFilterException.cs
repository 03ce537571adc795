namespace Theodore.Core.Errors;

/// <summary>A filter is malformed or breaks a limit; the path names the offending clause (e.g. <c>filter.$or[1].founded.$gte</c>).</summary>
public sealed class InvalidFilterException : InvalidRequestException
{
    public InvalidFilterException(string path, string message)
        : base(path, message, ErrorCodes.InvalidFilter)
    {
    }

    /// <summary>Several filter problems at once, each with its path.</summary>
    public InvalidFilterException(IReadOnlyList<RequestError> errors)
        : base(errors, ErrorCodes.InvalidFilter)
    {
    }

    public InvalidFilterException()
        : base("filter", "The filter is invalid.", ErrorCodes.InvalidFilter)
    {
    }

    public InvalidFilterException(string message)
        : base("filter", message, ErrorCodes.InvalidFilter)
    {
    }

    public InvalidFilterException(string message, Exception innerException)
        : base("filter", message, ErrorCodes.InvalidFilter, innerException)
    {
    }
}
