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

    private readonly SemaphoreSlim _backupGate = new(1, 1);

    private string BackupsPath => string.IsNullOrEmpty(_options.BackupPath) ? Path.Combine(_options.DataPath, BackupsDirectoryName) : _options.BackupPath;

    /// <summary>
    /// Backs up each index at its last logged change, one index at a time: searches go on, writes to the index being
    /// copied wait for the length of the copy. Indexes are each consistent at their own LSN, not at one common instant.
    /// </summary>
    public ValueTask<BackupInfo> CreateBackupAsync(IReadOnlyList<IndexName>? indexes, CancellationToken cancellationToken = default) =>
        RunBackupAsync("CreateBackup", null, async fileSystem =>
        {
            var selected = indexes is null
                ? _indexes.Values.OrderBy(static i => i.Definition.Name.Value, StringComparer.Ordinal).ToList()
                : [.. indexes.Distinct().Select(name => Find(name, "CreateBackup"))];
            RemoveBackupLeftovers(fileSystem);
            var id = BackupId.New(_time.GetUtcNow());
            var staging = Path.Combine(BackupsPath, id.Value + DataDirectoryCleanup.TemporarySuffix);
            try
            {
                fileSystem.CreateDirectory(staging);
                var entries = await CopyIndexesAsync(fileSystem, staging, selected, mustExist: indexes is not null, cancellationToken).ConfigureAwait(false);
                var manifest = new BackupManifest(BackupManifest.CurrentFormatVersion, id.Value, id.CreatedAt, TheodoreVersion, entries);
                manifest.Write(fileSystem, staging);
                fileSystem.SyncDirectory(staging);
                RenameDirectoryDurably(staging, Path.Combine(BackupsPath, id.Value));
                return manifest.ToInfo(id);
            }
            catch (DiskFullException ex)
            {
                TryRemoveDirectory(staging);
                throw new CapacityExceededException($"The disk holding {BackupsPath} is full: the backup was not written.", ex)
                {
                    SystemName = NativeConstants.SystemName,
                    Operation = "CreateBackup",
                };
            }
            catch
            {
                TryRemoveDirectory(staging);
                throw;
            }
        }, cancellationToken);

    public ValueTask<IReadOnlyList<BackupInfo>> ListBackupsAsync(CancellationToken cancellationToken = default) =>
        RunBackupAsync<IReadOnlyList<BackupInfo>>(
            "ListBackups",
            null,
            fileSystem => ValueTask.FromResult<IReadOnlyList<BackupInfo>>([.. StoredBackupIds(fileSystem).Select(id => ReadBackup(fileSystem, id).Info)]),
            cancellationToken);

    public ValueTask<BackupInfo> GetBackupAsync(BackupId backup, CancellationToken cancellationToken = default) =>
        RunBackupAsync("GetBackup", null, fileSystem =>
        {
            ArgumentNullException.ThrowIfNull(backup);
            return ValueTask.FromResult(ReadExistingBackup(fileSystem, backup, "GetBackup").Info);
        }, cancellationToken);

    public ValueTask<bool> DeleteBackupAsync(BackupId backup, CancellationToken cancellationToken = default) =>
        RunBackupAsync("DeleteBackup", null, fileSystem =>
        {
            ArgumentNullException.ThrowIfNull(backup);
            if (!StoredBackupIds(fileSystem).Contains(backup))
            {
                return ValueTask.FromResult(false);
            }

            RemoveDirectory(BackupsPath, backup.Value);
            return ValueTask.FromResult(true);
        }, cancellationToken);

    /// <summary>
    /// Verifies every file of the index in the backup, rebuilds the index's data directory beside the live ones (in a
    /// <c>.tmp</c> directory that a restart removes), and only then swaps it in and opens it. A replaced index is
    /// removed after the new directory is complete, the way a deleted index is.
    /// </summary>
    public ValueTask<RestoredIndex> RestoreBackupAsync(BackupId backup, IndexName index, IndexName? target, bool replace, CancellationToken cancellationToken = default) =>
        RunBackupAsync("RestoreBackup", target ?? index, async fileSystem =>
        {
            ArgumentNullException.ThrowIfNull(backup);
            ArgumentNullException.ThrowIfNull(index);
            var name = target ?? index;
            var (info, manifest) = ReadExistingBackup(fileSystem, backup, "RestoreBackup");
            if (manifest is null)
            {
                throw Damaged(backup, index, info.Problem);
            }

            var entry = manifest.Indexes.FirstOrDefault(i => string.Equals(i.Name, index.Value, StringComparison.Ordinal))
                ?? throw new InvalidRequestException("index", $"backup '{backup.Value}' holds no index '{index.Value}'; it holds: {string.Join(", ", manifest.Indexes.Select(static i => i.Name))}");
            var source = Path.Combine(BackupsPath, backup.Value, entry.Name);
            foreach (var file in entry.Files)
            {
                if (BackupFiles.Verify(fileSystem, source, file) is { } problem)
                {
                    throw Damaged(backup, index, problem);
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
        }, cancellationToken);

    /// <summary>Deletes the intact backups the policy does not keep; damaged ones are neither kept nor deleted (an operator decides).</summary>
    public ValueTask<BackupPruneResult> PruneBackupsAsync(BackupRetention retention, CancellationToken cancellationToken = default) =>
        RunBackupAsync("PruneBackups", null, fileSystem =>
        {
            ArgumentNullException.ThrowIfNull(retention);
            var intact = StoredBackupIds(fileSystem).Where(id => ReadBackup(fileSystem, id).Manifest is not null);
            var result = retention.Apply(intact);
            foreach (var id in result.Deleted)
            {
                RemoveDirectory(BackupsPath, id.Value);
            }

            return ValueTask.FromResult(result);
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
                var definition = new IndexDefinition(name, stored.Dimension, stored.Metric, stored.Embedding, stored.Hnsw, stored.Quantization);
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

        RenameDirectoryDurably(staging, directory);
        var opened = IndexJournal.Open(fileSystem, directory, _options, out var recovery);
        var index = new NativeIndex(recovery.Definition!, _options, _time, recovery.CreatedAt, opened);
        _indexes[name.Value] = index;
        index.Load(recovery);
        return index;
    }

    // Each index's snapshot goes to <staging>/<index>/snapshot.bin, checksummed once it is durable.
    private static async Task<List<BackupManifestIndex>> CopyIndexesAsync(IDurableFileSystem fileSystem, string staging, List<NativeIndex> selected, bool mustExist, CancellationToken cancellationToken)
    {
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
                // Deleted since it was selected: a request that named it must say so; "all" means all that still exist.
                if (mustExist)
                {
                    throw NotFound(name, "CreateBackup");
                }

                fileSystem.DeleteDirectory(directory);
                continue;
            }

            entries.Add(new BackupManifestIndex(name.Value, BackupManifestDefinition.From(index.Definition), copy.Lsn, copy.Records, [BackupFiles.Describe(fileSystem, snapshot)]));
        }

        return entries;
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

    // Every backup operation: durable storage only, one at a time (so a prune or delete never removes a backup that is
    // being written or restored), errors wrapped like every other operation's.
    private ValueTask<T> RunBackupAsync<T>(string operation, IndexName? index, Func<IDurableFileSystem, ValueTask<T>> body, CancellationToken cancellationToken) =>
        RunAsync(operation, index, async () =>
        {
            var fileSystem = _fileSystem ?? throw new UnsupportedOperationException("Backups need durable storage; this native storage keeps everything in memory only.")
            {
                SystemName = NativeConstants.SystemName,
                Operation = operation,
            };
            EnsureOpen(operation);
            await _backupGate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await body(fileSystem).ConfigureAwait(false);
            }
            finally
            {
                _backupGate.Release();
            }
        }, cancellationToken);

    private static BackupDamagedException Damaged(BackupId backup, IndexName index, string? problem) =>
        new($"Backup '{backup.Value}' cannot be restored: {problem}.")
        {
            SystemName = NativeConstants.SystemName,
            Index = index.Value,
            Operation = "RestoreBackup",
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
