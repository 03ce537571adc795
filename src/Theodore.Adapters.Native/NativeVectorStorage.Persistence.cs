using Theodore.Adapters.Native.Persistence;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native;

// The data directory: journals per index, recovery at start, safe removal of an index.
public sealed partial class NativeVectorStorage
{
    private string DescribeStorage() => _fileSystem is null
        ? "memory only"
        : $"{_options.Durability} durability in {_options.DataPath}; snapshots hold the graph, the log's tail is replayed at start";

    private async Task<IndexJournal> CreateJournalAsync(IndexDefinition definition, DateTimeOffset createdAt)
    {
        var directory = Path.Combine(IndexesPath, definition.Name.Value);
        try
        {
            // A directory left by a creation that was never acknowledged is not an index.
            _fileSystem!.DeleteDirectory(directory);
            return await IndexJournal.CreateAsync(_fileSystem, directory, _options, definition, createdAt).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DurabilityException or IOException)
        {
            TryRemoveDirectory(directory);
            throw ex is DiskFullException
                ? new CapacityExceededException($"The disk holding {directory} is full: the index was not created.", ex)
                {
                    SystemName = NativeConstants.SystemName,
                    Index = definition.Name.Value,
                    Operation = "CreateIndex",
                }
                : new StorageUnavailableException($"The index could not be created durably in {directory}: {ex.Message}", ex)
                {
                    SystemName = NativeConstants.SystemName,
                    Index = definition.Name.Value,
                    Operation = "CreateIndex",
                };
        }
    }

    private void TryRemoveDirectory(string directory)
    {
        try
        {
            _fileSystem!.DeleteDirectory(directory);
        }
        catch (Exception ex) when (ex is IOException or DurabilityException)
        {
            // A directory without a logged definition is removed at the next start.
        }
    }

    // Renamed first, and the rename made durable, so a crash leaves either the whole index (or backup) or a .deleted
    // leftover that the next start (or backup) removes, never a half-deleted one.
    private void RemoveDirectory(string parent, string name)
    {
        var directory = Path.Combine(parent, name);
        var deleted = directory + DataDirectoryCleanup.DeletedSuffix;
        _fileSystem!.DeleteDirectory(deleted);
        RenameDirectoryDurably(directory, deleted);
        _fileSystem.DeleteDirectory(deleted);
    }

    // A directory rename survives a power loss only once the parent directory is synced.
    private void RenameDirectoryDurably(string from, string to)
    {
        _fileSystem!.RenameDirectory(from, to);
        _fileSystem.SyncDirectory(Path.GetDirectoryName(to)!);
    }

    private async ValueTask RecoverAsync(CancellationToken cancellationToken)
    {
        var fileSystem = _fileSystem!;
        try
        {
            fileSystem.CreateDirectory(_options.DataPath);
            _dataLock = fileSystem.LockDirectory(_options.DataPath);
            fileSystem.CreateDirectory(IndexesPath);
            var removed = false;
            foreach (var name in fileSystem.ListDirectories(IndexesPath))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var directory = Path.Combine(IndexesPath, name);
                // A .deleted index was being removed; a .tmp one was being restored from a backup and never published.
                if (name.EndsWith(DataDirectoryCleanup.DeletedSuffix, StringComparison.Ordinal) || name.EndsWith(DataDirectoryCleanup.TemporarySuffix, StringComparison.Ordinal))
                {
                    fileSystem.DeleteDirectory(directory);
                    removed = true;
                    continue;
                }

                if (!IndexName.TryParse(name, out var indexName, out _))
                {
                    // Not an index name, so not ours: left alone rather than guessed at.
                    continue;
                }

                var journal = IndexJournal.Open(fileSystem, directory, _options, out var recovery);
                if (recovery.Definition is null)
                {
                    // The creation crashed before its definition was durable, so it was never acknowledged.
                    await journal.DisposeAsync().ConfigureAwait(false);
                    fileSystem.DeleteDirectory(directory);
                    removed = true;
                    continue;
                }

                var index = new NativeIndex(recovery.Definition, _options, _time, recovery.CreatedAt, journal);
                _indexes[name] = index;
                if (recovery.Definition.Name != indexName)
                {
                    throw new CorruptDataException(directory, 0, $"the directory holds the index '{recovery.Definition.Name.Value}'");
                }

                index.Load(recovery);
            }

            if (removed)
            {
                fileSystem.SyncDirectory(IndexesPath);
            }
        }
        catch (Exception ex) when (ex is DurabilityException or IOException or UnauthorizedAccessException)
        {
            await DisposeAsync().ConfigureAwait(false);
            throw new InvalidOperationException($"The native storage cannot open its data directory {_options.DataPath}: {ex.Message}", ex);
        }
    }
}
