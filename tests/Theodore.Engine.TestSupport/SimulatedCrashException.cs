namespace Theodore.Engine.Testing;

/// <summary>
/// Thrown by <see cref="CrashSimFileSystem"/> at its crash point and by every later call: the simulated machine is
/// off. To the code under test it is what it would be on a real machine, an I/O failure, so production code handles
/// it as the <see cref="IOException"/> it is and never names this type.
/// </summary>
public sealed class SimulatedCrashException : IOException
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
