using Theodore.Application.Backups;

namespace Theodore.Api.Contracts;

/// <summary>Body of <c>POST /v1/backups/prune</c>: how many days, ISO weeks and months keep their newest backup (missing = 0).</summary>
public sealed record PruneBackupsRequest(int? Daily = null, int? Weekly = null, int? Monthly = null)
{
    public PruneBackups ToUseCase() => new(Daily ?? 0, Weekly ?? 0, Monthly ?? 0);
}
