using Theodore.Application.Backups;

namespace Theodore.Api.Contracts;

/// <summary>Every backup, oldest first.</summary>
public sealed record BackupListResponse(IReadOnlyList<BackupResponse> Backups)
{
    public static BackupListResponse From(ListBackupsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new([.. result.Backups.Select(BackupResponse.From)]);
    }
}
