namespace Theodore.Engine.Durability;

/// <summary>Another process holds the data directory; two writers on one log is the classic way to corrupt it.</summary>
public sealed class DataDirectoryLockedException : DurabilityException
{
    public DataDirectoryLockedException()
        : base("The data directory is in use by another Theodore process.")
    {
    }

    public DataDirectoryLockedException(string message)
        : base(message)
    {
    }

    public DataDirectoryLockedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static DataDirectoryLockedException For(string directory, Exception? cause = null)
    {
        var message = $"data directory {directory} is in use by another Theodore process";
        return cause is null ? new DataDirectoryLockedException(message) : new DataDirectoryLockedException(message, cause);
    }
}
