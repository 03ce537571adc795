using Theodore.Core.Domain.Backups;

namespace Theodore.Api.Contracts;

/// <summary>The restored index, the backup it came from, the LSN it is consistent at, and whether it replaced an index.</summary>
public sealed record RestoreBackupResponse(IndexInfoResponse Index, string Backup, long Lsn, bool Replaced)
{
    public static RestoreBackupResponse From(RestoredIndex restored)
    {
        ArgumentNullException.ThrowIfNull(restored);
        return new(IndexInfoResponse.From(restored.Index), restored.Backup.Value, restored.Lsn, restored.Replaced);
    }
}
