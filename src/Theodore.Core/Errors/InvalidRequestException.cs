namespace Theodore.Core.Errors;

/// <summary>The request was refused as a whole because of bad input; nothing was written. Lists every problem found.</summary>
public class InvalidRequestException : VectorStorageException
{
    public InvalidRequestException(IReadOnlyList<RequestError> errors, string code = ErrorCodes.InvalidRequest)
        : base(Describe(errors), code)
    {
        Errors = errors;
    }

    public InvalidRequestException(string path, string message, string code = ErrorCodes.InvalidRequest)
        : this([new RequestError(path, code, message)], code)
    {
    }

    public InvalidRequestException()
        : this([], ErrorCodes.InvalidRequest)
    {
    }

    public InvalidRequestException(string message)
        : this(string.Empty, message)
    {
    }

    public InvalidRequestException(string message, Exception innerException)
        : this(string.Empty, message, ErrorCodes.InvalidRequest, innerException)
    {
    }

    /// <summary>For subclasses that wrap a cause and keep their own code.</summary>
    protected InvalidRequestException(string path, string message, string code, Exception? innerException)
        : base(message, code, innerException)
    {
        Errors = [new RequestError(path, code, message)];
    }

    public IReadOnlyList<RequestError> Errors { get; }

    private static string Describe(IReadOnlyList<RequestError> errors) => errors.Count switch
    {
        0 => "The request is invalid.",
        1 => string.IsNullOrEmpty(errors[0].Path) ? errors[0].Message : $"{errors[0].Path}: {errors[0].Message}",
        _ => $"The request has {errors.Count} errors; the first is {errors[0].Path}: {errors[0].Message}",
    };
}
