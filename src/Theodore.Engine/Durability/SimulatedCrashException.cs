namespace Theodore.Engine.Durability;

/// <summary>Thrown by <see cref="CrashSimFileSystem"/> at its crash point and by every later call: the simulated machine is off.</summary>
public sealed class SimulatedCrashException : Exception
{
    public SimulatedCrashException()
        : base("The simulated machine lost power.")
    {
    }

    public SimulatedCrashException(string message)
        : base(message)
    {
    }

    public SimulatedCrashException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
