using Theodore.Core.Domain.Backups;

namespace Theodore.Api.Contracts;

/// <summary>The ids of the backups kept and deleted, newest first.</summary>
public sealed record PruneBackupsResponse(IReadOnlyList<string> Kept, IReadOnlyList<string> Deleted)
{
    public static PruneBackupsResponse From(BackupPruneResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new([.. result.Kept.Select(static id => id.Value)], [.. result.Deleted.Select(static id => id.Value)]);
    }
}
