namespace Theodore.Engine.Durability;

/// <summary>
/// Flushing to disk failed once, so the state of the unflushed data is unknown and no later write may be
/// acknowledged (PostgreSQL's rule: a retried fsync can report success after the data was lost). The process must
/// restart and recover from the log.
/// </summary>
public sealed class DurabilityFailedException : DurabilityException
{
    public DurabilityFailedException()
        : base("The write-ahead log failed to reach the disk and accepts no more writes.")
    {
    }

    public DurabilityFailedException(string message)
        : base(message)
    {
    }

    public DurabilityFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
