namespace Theodore.Engine.Durability;

/// <summary>Root of the errors the durability layer raises on purpose; anything else escaping it is a bug.</summary>
public class DurabilityException : Exception
{
    public DurabilityException()
        : base("The durability layer failed.")
    {
    }

    public DurabilityException(string message)
        : base(message)
    {
    }

    public DurabilityException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
