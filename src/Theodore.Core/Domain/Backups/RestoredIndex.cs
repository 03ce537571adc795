namespace Theodore.Core.Domain.Backups;

/// <summary>An index brought back from a backup; <see cref="Replaced"/> when an index of that name was replaced.</summary>
public sealed record RestoredIndex(IndexInfo Index, BackupId Backup, long Lsn, bool Replaced);
