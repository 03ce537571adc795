namespace Theodore.Core.Domain.Backups;

/// <summary>
/// A stored backup. <see cref="Problem"/> is set when the backup cannot be read (its manifest is missing or damaged);
/// such a backup is listed so it can be seen and deleted, but it is never restored and never pruned.
/// </summary>
public sealed record BackupInfo(BackupId Id, DateTimeOffset CreatedAt, IReadOnlyList<BackupIndexInfo> Indexes, long TotalBytes, string? Problem = null)
{
    public bool IsIntact => Problem is null;
}
