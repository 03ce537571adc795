using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;

namespace Theodore.Core.Ports;

/// <summary>
/// A backend that can back up its own indexes and restore them (Theodore's engine); remote backends have their own
/// tools and do not offer it. Each index in a backup is consistent at one log position while the storage stays online.
/// </summary>
public interface IBackupStorage
{
    /// <summary>Backs up the named indexes, or every index when <paramref name="indexes"/> is null.</summary>
    ValueTask<BackupInfo> CreateBackupAsync(IReadOnlyList<IndexName>? indexes, CancellationToken cancellationToken = default);

    /// <summary>Every backup, oldest first; damaged ones are included with their problem.</summary>
    ValueTask<IReadOnlyList<BackupInfo>> ListBackupsAsync(CancellationToken cancellationToken = default);

    /// <summary>The backup, or <see cref="Errors.BackupNotFoundException"/>.</summary>
    ValueTask<BackupInfo> GetBackupAsync(BackupId backup, CancellationToken cancellationToken = default);

    /// <summary>Deletes the backup; false when there is none with that id.</summary>
    ValueTask<bool> DeleteBackupAsync(BackupId backup, CancellationToken cancellationToken = default);

    /// <summary>
    /// Restores <paramref name="index"/> from the backup as <paramref name="target"/> (the same name when null). An existing
    /// target is <see cref="Errors.IndexAlreadyExistsException"/> unless <paramref name="replace"/>; a file that fails its
    /// checksum is <see cref="Errors.BackupDamagedException"/> and nothing changes.
    /// </summary>
    ValueTask<RestoredIndex> RestoreBackupAsync(BackupId backup, IndexName index, IndexName? target, bool replace, CancellationToken cancellationToken = default);

    /// <summary>Deletes the intact backups <paramref name="retention"/> does not keep; damaged backups are left for an operator.</summary>
    ValueTask<BackupPruneResult> PruneBackupsAsync(BackupRetention retention, CancellationToken cancellationToken = default);
}
