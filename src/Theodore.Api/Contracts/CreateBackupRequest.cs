using Theodore.Application.Backups;

namespace Theodore.Api.Contracts;

/// <summary>Body of <c>POST /v1/backups</c>; without a body, or without <c>indexes</c>, every index is backed up.</summary>
public sealed record CreateBackupRequest(IReadOnlyList<string?>? Indexes = null)
{
    public CreateBackup ToUseCase() => new(Indexes);
}
