namespace Theodore.Engine.Durability;

/// <summary>A write found no space left on the device. The failed records are not in the log; the log stays usable.</summary>
public sealed class DiskFullException : DurabilityException
{
    public DiskFullException()
        : base("No space left on the device.")
    {
    }

    public DiskFullException(string message)
        : base(message)
    {
    }

    public DiskFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
