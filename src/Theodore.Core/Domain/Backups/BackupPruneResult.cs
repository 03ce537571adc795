namespace Theodore.Core.Domain.Backups;

/// <summary>What a retention policy kept and deleted, each newest first.</summary>
public sealed record BackupPruneResult(IReadOnlyList<BackupId> Kept, IReadOnlyList<BackupId> Deleted);
