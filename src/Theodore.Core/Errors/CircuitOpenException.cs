namespace Theodore.Core.Errors;

/// <summary>The circuit breaker is open after repeated failures; transient.</summary>
public sealed class CircuitOpenException : VectorStorageException
{
    public CircuitOpenException()
        : base("Calls to the backend are suspended after repeated failures.", ErrorCodes.CircuitOpen)
    {
    }

    public CircuitOpenException(string message)
        : base(message, ErrorCodes.CircuitOpen)
    {
    }

    public CircuitOpenException(string message, Exception innerException)
        : base(message, ErrorCodes.CircuitOpen, innerException)
    {
    }

    public override bool IsTransient => true;
}
