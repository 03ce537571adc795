using System.Globalization;

namespace Theodore.Engine.Durability;

/// <summary>
/// A data directory: the write-ahead log plus the newest checkpoint snapshot, named by <c>CURRENT</c>. Opening it
/// takes the directory lock, removes leftovers of interrupted writes, reads the manifest, hands the snapshot and then
/// every logged record after it to the caller, and only then accepts appends. A checkpoint makes the snapshot durable,
/// then the manifest, and only then removes the log segments the snapshot covers.
/// </summary>
public sealed class DurableStore : IAsyncDisposable
{
    public const string ManifestFileName = "CURRENT";
    public const string WalDirectoryName = "wal";
    private const string SnapshotPrefix = "snapshot-";
    private const string SnapshotSuffix = ".bin";

    private readonly IDurableFileSystem _fileSystem;
    private readonly DurableStoreOptions _options;
    private readonly IDisposable? _lock;
    private readonly WriteAheadLog _wal;
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);
    private string? _snapshotFile;
    private long _checkpointLsn;
    private volatile Exception? _failure;
    private int _disposed;

    private DurableStore(IDurableFileSystem fileSystem, DurableStoreOptions options, IDisposable? directoryLock, WriteAheadLog wal, RecoveryReport recovery)
    {
        _fileSystem = fileSystem;
        _options = options;
        _lock = directoryLock;
        _wal = wal;
        Recovery = recovery;
        _snapshotFile = recovery.SnapshotFile;
        _checkpointLsn = recovery.CheckpointLsn;
    }

    public RecoveryReport Recovery { get; }

    public DurabilityMode Mode => _options.Mode;

    /// <summary>The LSN the current snapshot covers; replay after a restart starts above it.</summary>
    public long CheckpointLsn => Interlocked.Read(ref _checkpointLsn);

    public long LastAppendedLsn => _wal.LastAppendedLsn;

    public long LastDurableLsn => _wal.LastDurableLsn;

    public bool IsFailed => _failure is not null || _wal.IsFailed;

    /// <summary>Why the store stopped accepting writes, for <c>/health/ready</c>; null while healthy.</summary>
    public string? FailureReason => _failure is { } failure ? $"{failure.GetType().Name}: {failure.Message}" : _wal.FailureReason;

    public IReadOnlyList<WalSegmentInfo> WalSegments => _wal.Segments;

    /// <summary>
    /// Opens (or creates) the data directory and recovers it: <paramref name="restoreSnapshot"/> receives the current
    /// snapshot, if there is one (the reader is closed when the callback returns), then <paramref name="replay"/>
    /// receives every logged record after it, each once, in LSN order from <see cref="CheckpointLsn"/> + 1.
    /// Damage a crash cannot explain throws <see cref="CorruptDataException"/>; a file from a newer build throws
    /// <see cref="UnsupportedFormatVersionException"/>; another process on the directory throws
    /// <see cref="DataDirectoryLockedException"/>.
    /// </summary>
    public static DurableStore Open(
        IDurableFileSystem fileSystem,
        DurableStoreOptions options,
        Action<SnapshotReader>? restoreSnapshot = null,
        Action<WalRecord>? replay = null)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(options);
        var walOptions = new WriteAheadLogOptions
        {
            Directory = Path.Combine(options.DataDirectory, WalDirectoryName),
            Mode = options.Mode,
            BatchInterval = options.BatchInterval,
            SegmentSize = options.SegmentSize,
            MaxRecordLength = options.MaxRecordLength,
        };
        if (options.Mode == DurabilityMode.None)
        {
            var memoryOnly = WriteAheadLog.Open(fileSystem, walOptions);
            var nothing = new RecoveryReport { RemovedLeftovers = [], RemovedStaleSnapshots = [], CheckpointLsn = 0, Wal = memoryOnly.Recovery };
            return new DurableStore(fileSystem, options, null, memoryOnly, nothing);
        }

        fileSystem.CreateDirectory(options.DataDirectory);
        var directoryLock = fileSystem.LockDirectory(options.DataDirectory);
        try
        {
            fileSystem.CreateDirectory(walOptions.Directory);
            var leftovers = DataDirectoryCleanup.RemoveLeftovers(fileSystem, options.DataDirectory, walOptions.Directory);
            var manifestPath = Path.Combine(options.DataDirectory, ManifestFileName);
            var manifest = DataManifest.Read(fileSystem, manifestPath);
            var checkpointLsn = 0L;
            if (manifest is not null)
            {
                var snapshotPath = Path.Combine(options.DataDirectory, manifest.SnapshotFileName);
                if (!fileSystem.FileExists(snapshotPath))
                {
                    throw new CorruptDataException(manifestPath, 0, $"the manifest names the snapshot {manifest.SnapshotFileName}, which does not exist");
                }

                using var snapshot = SnapshotReader.Open(fileSystem, snapshotPath);
                if (snapshot.CheckpointLsn != manifest.CheckpointLsn)
                {
                    throw new CorruptDataException(snapshotPath, 16, $"the snapshot covers LSN {snapshot.CheckpointLsn} but the manifest says {manifest.CheckpointLsn}");
                }

                restoreSnapshot?.Invoke(snapshot);
                checkpointLsn = manifest.CheckpointLsn;
            }

            var wal = WriteAheadLog.Open(fileSystem, walOptions, checkpointLsn, replay);
            var stale = RemoveStaleSnapshots(fileSystem, options.DataDirectory, manifest?.SnapshotFileName);
            var report = new RecoveryReport
            {
                RemovedLeftovers = leftovers,
                RemovedStaleSnapshots = stale,
                SnapshotFile = manifest?.SnapshotFileName,
                CheckpointLsn = checkpointLsn,
                Wal = wal.Recovery,
            };
            return new DurableStore(fileSystem, options, directoryLock, wal, report);
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Logs one record and completes with its LSN once it is as durable as <see cref="Mode"/> promises; apply the change
    /// in memory only after that. The payload must not change until the task completes.
    /// </summary>
    public Task<long> AppendAsync(byte type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ThrowIfFailed();
        return _wal.AppendAsync(type, payload, cancellationToken);
    }

    /// <summary>Makes every record appended so far durable (useful in <see cref="DurabilityMode.Batched"/>).</summary>
    public Task<long> FlushAsync(CancellationToken cancellationToken = default) => _wal.FlushAsync(cancellationToken);

    /// <summary>
    /// Writes a snapshot of the state at <paramref name="lsn"/> (every record up to it applied, none after) through
    /// <paramref name="writeSections"/>, makes it the recovery base and drops the log segments it covers. Appends may
    /// continue meanwhile. Returns false when the current snapshot already covers <paramref name="lsn"/>.
    /// </summary>
    public async Task<bool> CheckpointAsync(
        long lsn,
        ReadOnlyMemory<byte> userHeader,
        Func<SnapshotWriter, CancellationToken, ValueTask> writeSections,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeSections);
        ThrowIfFailed();
        if (lsn > _wal.LastAppendedLsn)
        {
            throw new ArgumentOutOfRangeException(nameof(lsn), lsn, $"LSN {lsn} has not been appended yet (last is {_wal.LastAppendedLsn}).");
        }

        if (_options.Mode == DurabilityMode.None)
        {
            return false;
        }

        await _checkpointGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (lsn <= CheckpointLsn)
            {
                return false;
            }

            // The log must hold every record the snapshot claims before the snapshot can replace them.
            await _wal.FlushAsync(cancellationToken).ConfigureAwait(false);
            var name = string.Create(CultureInfo.InvariantCulture, $"{SnapshotPrefix}{lsn:D20}{SnapshotSuffix}");
            var path = Path.Combine(_options.DataDirectory, name);
            using (var writer = SnapshotWriter.Create(_fileSystem, path, lsn, userHeader.Span))
            {
                await writeSections(writer, cancellationToken).ConfigureAwait(false);
                writer.Commit();
            }

            try
            {
                new DataManifest(name, lsn).Write(_fileSystem, Path.Combine(_options.DataDirectory, ManifestFileName));
            }
            catch (Exception ex) when (ex is IOException)
            {
                // Whether CURRENT now names the old or the new snapshot is unknown until a restart reads it.
                Interlocked.CompareExchange(ref _failure, ex, null);
                throw new DurabilityFailedException($"Writing the manifest in {_options.DataDirectory} failed; the store accepts no more writes.", ex);
            }

            var previous = _snapshotFile;
            _snapshotFile = name;
            Interlocked.Exchange(ref _checkpointLsn, lsn);
            if (previous is not null)
            {
                // Unreferenced now; if this unlink is lost, the next open removes the file.
                _fileSystem.DeleteFile(Path.Combine(_options.DataDirectory, previous));
            }

            _wal.TruncateBefore(lsn + 1);
            return true;
        }
        finally
        {
            _checkpointGate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _checkpointGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await _wal.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            _lock?.Dispose();
            _checkpointGate.Release();
            _checkpointGate.Dispose();
        }
    }

    private static List<string> RemoveStaleSnapshots(IDurableFileSystem fileSystem, string directory, string? current)
    {
        var removed = new List<string>();
        foreach (var name in fileSystem.ListFiles(directory))
        {
            if (name.StartsWith(SnapshotPrefix, StringComparison.Ordinal)
                && name.EndsWith(SnapshotSuffix, StringComparison.Ordinal)
                && !string.Equals(name, current, StringComparison.Ordinal))
            {
                var path = Path.Combine(directory, name);
                fileSystem.DeleteFile(path);
                removed.Add(path);
            }
        }

        return removed;
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new DurabilityFailedException($"The store in {_options.DataDirectory} failed and accepts no more writes: {failure.Message}", failure);
        }

        if (_wal.IsFailed)
        {
            throw new DurabilityFailedException($"The store in {_options.DataDirectory} failed and accepts no more writes: {_wal.FailureReason}");
        }
    }
}
