namespace Theodore.Core.Errors;

/// <summary>
/// The backup cannot be restored: its manifest is unreadable or a file does not match the size and SHA-256 the
/// manifest recorded. The message names the file. Nothing was restored.
/// </summary>
public sealed class BackupDamagedException : VectorStorageException
{
    public BackupDamagedException(string message)
        : base(message, ErrorCodes.BackupDamaged)
    {
    }

    public BackupDamagedException()
        : base("The backup is damaged.", ErrorCodes.BackupDamaged)
    {
    }

    public BackupDamagedException(string message, Exception innerException)
        : base(message, ErrorCodes.BackupDamaged, innerException)
    {
    }
}
