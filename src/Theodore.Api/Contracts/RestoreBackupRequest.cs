using Theodore.Application.Backups;

namespace Theodore.Api.Contracts;

/// <summary>
/// Body of <c>POST /v1/backups/{id}/restore</c>: the index to restore, optionally a new name for it, and whether an
/// existing index of that name is replaced.
/// </summary>
public sealed record RestoreBackupRequest(string? Index, string? Target = null, bool Replace = false)
{
    public RestoreBackup ToUseCase(string backup) => new(backup, Index, Target, Replace);
}
