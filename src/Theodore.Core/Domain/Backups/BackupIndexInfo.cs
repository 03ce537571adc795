namespace Theodore.Core.Domain.Backups;

/// <summary>One index in a backup: its name, the log position the copy is consistent at, its records and the bytes stored.</summary>
public sealed record BackupIndexInfo(IndexName Name, long Lsn, long RecordCount, long Bytes);
