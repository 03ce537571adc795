using Theodore.Core.Domain.Backups;

namespace Theodore.Api.Contracts;

/// <summary>A backup: when it was taken, each index with the log position it is consistent at, and its size; a damaged one says why.</summary>
public sealed record BackupResponse(string Id, DateTimeOffset CreatedAt, bool Intact, string? Problem, IReadOnlyList<BackupIndexResponse> Indexes, long TotalBytes)
{
    public static BackupResponse From(BackupInfo backup)
    {
        ArgumentNullException.ThrowIfNull(backup);
        return new(
            backup.Id.Value,
            backup.CreatedAt,
            backup.IsIntact,
            backup.Problem,
            [.. backup.Indexes.Select(i => new BackupIndexResponse(i.Name.Value, i.Lsn, i.RecordCount, i.Bytes))],
            backup.TotalBytes);
    }
}

public sealed record BackupIndexResponse(string Name, long Lsn, long RecordCount, long Bytes);
