namespace Theodore.Core.Errors;

/// <summary>The named backup does not exist.</summary>
public sealed class BackupNotFoundException : VectorStorageException
{
    public BackupNotFoundException(string backup)
        : base($"Backup '{backup}' does not exist.", ErrorCodes.BackupNotFound)
    {
    }

    public BackupNotFoundException()
        : base("The backup was not found.", ErrorCodes.BackupNotFound)
    {
    }

    public BackupNotFoundException(string message, Exception innerException)
        : base(message, ErrorCodes.BackupNotFound, innerException)
    {
    }
}
