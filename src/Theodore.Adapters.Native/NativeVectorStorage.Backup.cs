using System.Reflection;
using Theodore.Adapters.Native.Backups;
using Theodore.Adapters.Native.Persistence;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native;

// Backups: <BackupPath>/<id>/manifest.json plus <index>/snapshot.bin per index, each snapshot the index's state at one
// LSN. A backup is built in <id>.tmp and published by renaming the directory, so a crash never leaves a half backup.
public sealed partial class NativeVectorStorage : IBackupStorage
{
    public const string BackupsDirectoryName = "backups";

    private static readonly string TheodoreVersion =
        typeof(NativeVectorStorage).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    // One backup operation at a time: a prune or delete never removes a backup that is being written or restored.
    private readonly SemaphoreSlim _backupGate = new(1, 1);

    private string BackupsPath => string.IsNullOrEmpty(_options.BackupPath) ? Path.Combine(_options.DataPath, BackupsDirectoryName) : _options.BackupPath;

    /// <summary>
    /// Backs up each index at its last logged change, one index at a time: searches go on, writes to the index being
    /// copied wait for the length of the copy. Indexes are each consistent at their own LSN, not at one common instant.
    /// </summary>
    public ValueTask<BackupInfo> CreateBackupAsync(IReadOnlyList<IndexName>? indexes, CancellationToken cancellationToken = default) =>
        RunAsync("CreateBackup", null, async () =>
        {
            var fileSystem = BackupFileSystem("CreateBackup");
            var selected = indexes is null
                ? _indexes.Values.OrderBy(static i => i.Definition.Name.Value, StringComparer.Ordinal).ToList()
                : [.. indexes.Distinct().Select(name => Find(name, "CreateBackup"))];
            await _backupGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                RemoveBackupLeftovers(fileSystem);
                var id = BackupId.New(_time.GetUtcNow());
                var staging = Path.Combine(BackupsPath, id.Value + DataDirectoryCleanup.TemporarySuffix);
                try
                {
                    fileSystem.CreateDirectory(staging);
                    var entries = new List<BackupManifestIndex>(selected.Count);
                    foreach (var index in selected)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var name = index.Definition.Name;
                        var directory = Path.Combine(staging, name.Value);
                        fileSystem.CreateDirectory(directory);
                        var snapshot = Path.Combine(directory, BackupManifestIndex.SnapshotFileName);
                        var written = await index.WriteBackupAsync(fileSystem, snapshot, cancellationToken).ConfigureAwait(false);
                        if (written is not { } copy)
                        {
                            // Deleted since it was selected: an explicit request must say so, "all" means all that still exist.
                            if (indexes is not null)
                            {
                                throw NotFound(name, "CreateBackup");
                            }

                            fileSystem.DeleteDirectory(directory);
                            continue;
                        }

                        entries.Add(new BackupManifestIndex(name.Value, BackupManifestDefinition.From(index.Definition), copy.Lsn, copy.Records, [BackupFiles.Describe(fileSystem, snapshot)]));
                    }

                    var manifest = new BackupManifest(BackupManifest.CurrentFormatVersion, id.Value, id.CreatedAt, TheodoreVersion, entries);
                    manifest.Write(fileSystem, staging);
                    fileSystem.SyncDirectory(staging);
                    fileSystem.RenameDirectory(staging, Path.Combine(BackupsPath, id.Value));
                    fileSystem.SyncDirectory(BackupsPath);
                    return manifest.ToInfo(id);
                }
                catch
                {
                    TryRemoveDirectory(staging);
                    throw;
                }
            }
            catch (DiskFullException ex)
            {
                throw new CapacityExceededException($"The disk holding {BackupsPath} is full: the backup was not written.", ex)
                {
                    SystemName = NativeConstants.SystemName,
                    Operation = "CreateBackup",
                };
            }
            finally
            {
                _backupGate.Release();
            }
        }, cancellationToken);

    public ValueTask<IReadOnlyList<BackupInfo>> ListBackupsAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<BackupInfo>>("ListBackups", null, async () =>
        {
            var fileSystem = BackupFileSystem("ListBackups");
            await _backupGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return [.. StoredBackupIds(fileSystem).Select(id => ReadBackup(fileSystem, id).Info)];
            }
            finally
            {
                _backupGate.Release();
            }
        }, cancellationToken);

    public ValueTask<BackupInfo> GetBackupAsync(BackupId backup, CancellationToken cancellationToken = default) =>
        RunAsync("GetBackup", null, async () =>
        {
            ArgumentNullException.ThrowIfNull(backup);
            var fileSystem = BackupFileSystem("GetBackup");
            await _backupGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return ReadExistingBackup(fileSystem, backup, "GetBackup").Info;
            }
            finally
            {
                _backupGate.Release();
            }
        }, cancellationToken);

    public ValueTask<bool> DeleteBackupAsync(BackupId backup, CancellationToken cancellationToken = default) =>
        RunAsync("DeleteBackup", null, async () =>
        {
            ArgumentNullException.ThrowIfNull(backup);
            var fileSystem = BackupFileSystem("DeleteBackup");
            await _backupGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                if (!StoredBackupIds(fileSystem).Contains(backup))
                {
                    return false;
                }

                RemoveDirectory(BackupsPath, backup.Value);
                return true;
            }
            finally
            {
                _backupGate.Release();
            }
        }, cancellationToken);

    /// <summary>
    /// Verifies every file of the index in the backup, rebuilds the index's data directory beside the live ones (in a
    /// <c>.tmp</c> directory that a restart removes), and only then swaps it in and opens it. A replaced index is
    /// removed after the new directory is complete, the way a deleted index is.
    /// </summary>
    public ValueTask<RestoredIndex> RestoreBackupAsync(BackupId backup, IndexName index, IndexName? target, bool replace, CancellationToken cancellationToken = default) =>
        RunAsync("RestoreBackup", target ?? index, async () =>
        {
            ArgumentNullException.ThrowIfNull(backup);
            ArgumentNullException.ThrowIfNull(index);
            var fileSystem = BackupFileSystem("RestoreBackup");
            var name = target ?? index;
            await _backupGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var (info, manifest) = ReadExistingBackup(fileSystem, backup, "RestoreBackup");
                if (manifest is null)
                {
                    throw new BackupDamagedException($"Backup '{backup.Value}' cannot be restored: {info.Problem}.")
                    {
                        SystemName = NativeConstants.SystemName,
                        Operation = "RestoreBackup",
                    };
                }

                var entry = manifest.Indexes.FirstOrDefault(i => string.Equals(i.Name, index.Value, StringComparison.Ordinal))
                    ?? throw new InvalidRequestException("index", $"backup '{backup.Value}' holds no index '{index.Value}'; it holds: {string.Join(", ", manifest.Indexes.Select(static i => i.Name))}");
                var source = Path.Combine(BackupsPath, backup.Value, entry.Name);
                foreach (var file in entry.Files)
                {
                    if (BackupFiles.Verify(fileSystem, source, file) is { } problem)
                    {
                        throw new BackupDamagedException($"Backup '{backup.Value}' cannot be restored: {problem}.")
                        {
                            SystemName = NativeConstants.SystemName,
                            Index = index.Value,
                            Operation = "RestoreBackup",
                        };
                    }
                }

                await _catalogGate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    var replaced = _indexes.ContainsKey(name.Value);
                    if (replaced && !replace)
                    {
                        throw new IndexAlreadyExistsException(name.Value) { SystemName = NativeConstants.SystemName, Operation = "RestoreBackup" };
                    }

                    var restored = await RestoreIndexAsync(fileSystem, Path.Combine(source, BackupManifestIndex.SnapshotFileName), name, cancellationToken).ConfigureAwait(false);
                    return new RestoredIndex(restored.Describe(), backup, entry.Lsn, replaced);
                }
                finally
                {
                    _catalogGate.Release();
                }
            }
            finally
            {
                _backupGate.Release();
            }
        }, cancellationToken);

    /// <summary>Deletes the intact backups the policy does not keep; damaged ones are neither kept nor deleted (an operator decides).</summary>
    public ValueTask<BackupPruneResult> PruneBackupsAsync(BackupRetention retention, CancellationToken cancellationToken = default) =>
        RunAsync("PruneBackups", null, async () =>
        {
            ArgumentNullException.ThrowIfNull(retention);
            var fileSystem = BackupFileSystem("PruneBackups");
            await _backupGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var intact = StoredBackupIds(fileSystem).Where(id => ReadBackup(fileSystem, id).Manifest is not null);
                var result = retention.Apply(intact);
                foreach (var id in result.Deleted)
                {
                    RemoveDirectory(BackupsPath, id.Value);
                }

                return result;
            }
            finally
            {
                _backupGate.Release();
            }
        }, cancellationToken);

    // Builds <indexes>/<name>.tmp as a new index whose log holds its definition and whose snapshot is the backup's,
    // renamed; then the old index (if any) goes, the new directory takes its name, and it is opened like at a start.
    private async Task<NativeIndex> RestoreIndexAsync(IDurableFileSystem fileSystem, string snapshotPath, IndexName name, CancellationToken cancellationToken)
    {
        var directory = Path.Combine(IndexesPath, name.Value);
        var staging = directory + DataDirectoryCleanup.TemporarySuffix;
        try
        {
            fileSystem.DeleteDirectory(staging);
            using (var snapshot = SnapshotReader.Open(fileSystem, snapshotPath))
            {
                var (version, stored, createdAt, updatedAt) = JournalCodec.DecodeSnapshotHeader(snapshot.UserHeader.Span, snapshot.Path);
                var definition = new IndexDefinition(name, stored.Dimension, stored.Metric, stored.Embedding, stored.Hnsw);
                var journal = await IndexJournal.CreateAsync(fileSystem, staging, _options, definition, createdAt).ConfigureAwait(false);
                await using (journal.ConfigureAwait(false))
                {
                    var header = JournalCodec.EncodeSnapshotHeader(definition, createdAt, updatedAt, version);
                    await journal.WriteSnapshotAsync(header, writer => CopySections(snapshot, writer), cancellationToken).ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (ex is CorruptDataException or UnsupportedFormatVersionException)
        {
            TryRemoveDirectory(staging);
            throw new BackupDamagedException($"The snapshot {snapshotPath} cannot be restored: {ex.Message}", ex)
            {
                SystemName = NativeConstants.SystemName,
                Index = name.Value,
                Operation = "RestoreBackup",
            };
        }
        catch
        {
            TryRemoveDirectory(staging);
            throw;
        }

        if (_indexes.TryRemove(name.Value, out var previous))
        {
            await previous.CloseAsync().ConfigureAwait(false);
            RemoveDirectory(IndexesPath, name.Value);
        }

        fileSystem.RenameDirectory(staging, directory);
        fileSystem.SyncDirectory(IndexesPath);
        var opened = IndexJournal.Open(fileSystem, directory, _options, out var recovery);
        var index = new NativeIndex(recovery.Definition!, _options, _time, recovery.CreatedAt, opened);
        _indexes[name.Value] = index;
        index.Load(recovery);
        return index;
    }

    private static void CopySections(SnapshotReader source, SnapshotWriter destination)
    {
        foreach (var section in source.Sections)
        {
            using var from = source.OpenSection(section.Name);
            using var to = destination.BeginSection(section.Name, section.Length);
            from.CopyTo(to);
        }
    }

    private IDurableFileSystem BackupFileSystem(string operation) =>
        _fileSystem ?? throw new UnsupportedOperationException("Backups need durable storage; this native storage keeps everything in memory only.")
        {
            SystemName = NativeConstants.SystemName,
            Operation = operation,
        };

    private List<BackupId> StoredBackupIds(IDurableFileSystem fileSystem) =>
        [.. fileSystem.ListDirectories(BackupsPath).Select(static name => BackupId.TryParse(name, out var id, out _) ? id : null).OfType<BackupId>()];

    private (BackupInfo Info, BackupManifest? Manifest) ReadBackup(IDurableFileSystem fileSystem, BackupId id)
    {
        var manifest = BackupManifest.TryRead(fileSystem, Path.Combine(BackupsPath, id.Value), id, out var problem);
        return manifest is null
            ? (new BackupInfo(id, id.CreatedAt, [], 0, problem), null)
            : (manifest.ToInfo(id), manifest);
    }

    private (BackupInfo Info, BackupManifest? Manifest) ReadExistingBackup(IDurableFileSystem fileSystem, BackupId id, string operation) =>
        StoredBackupIds(fileSystem).Contains(id)
            ? ReadBackup(fileSystem, id)
            : throw new BackupNotFoundException(id.Value) { SystemName = NativeConstants.SystemName, Operation = operation };

    private void RemoveBackupLeftovers(IDurableFileSystem fileSystem)
    {
        fileSystem.CreateDirectory(BackupsPath);
        var removed = false;
        foreach (var name in fileSystem.ListDirectories(BackupsPath))
        {
            if (name.EndsWith(DataDirectoryCleanup.TemporarySuffix, StringComparison.Ordinal) || name.EndsWith(DataDirectoryCleanup.DeletedSuffix, StringComparison.Ordinal))
            {
                fileSystem.DeleteDirectory(Path.Combine(BackupsPath, name));
                removed = true;
            }
        }

        if (removed)
        {
            fileSystem.SyncDirectory(BackupsPath);
        }
    }
}
