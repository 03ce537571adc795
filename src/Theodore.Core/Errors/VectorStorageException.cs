namespace Theodore.Core.Errors;

/// <summary>
/// Root of every error Theodore raises about storage. Adapters wrap backend failures at one point and
/// fill in <see cref="SystemName"/>, <see cref="Index"/> and <see cref="Operation"/> so telemetry and
/// problem details can say where it happened.
/// </summary>
public class VectorStorageException : Exception
{
    public VectorStorageException(string message, string code = ErrorCodes.BackendError, Exception? innerException = null)
        : base(message, innerException)
    {
        Code = code;
    }

    public VectorStorageException()
        : this("The vector storage operation failed.")
    {
    }

    public VectorStorageException(string message)
        : this(message, ErrorCodes.BackendError)
    {
    }

    public VectorStorageException(string message, Exception innerException)
        : this(message, ErrorCodes.BackendError, innerException)
    {
    }

    /// <summary>Machine-readable code from <see cref="ErrorCodes"/>.</summary>
    public string Code { get; }

    /// <summary>The backend, as OpenTelemetry's <c>db.system.name</c> (e.g. "theodore", "qdrant").</summary>
    public string? SystemName { get; init; }

    public string? Index { get; init; }

    public string? Operation { get; init; }

    /// <summary>True when the same call may succeed later; only transient errors are retried.</summary>
    public virtual bool IsTransient => false;

    /// <summary>How long the backend asked us to wait, when it said so.</summary>
    public TimeSpan? RetryAfter { get; init; }
}
