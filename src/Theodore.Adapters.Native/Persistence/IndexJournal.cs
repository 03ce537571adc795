using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native.Persistence;

/// <summary>
/// One index's durable store (<c>&lt;DataPath&gt;/indexes/&lt;name&gt;/</c>) and its writer gate. Writers hold the gate
/// around append and apply, so the log's order is the order changes reached memory; searches never take it.
/// </summary>
internal sealed class IndexJournal : IAsyncDisposable
{
    private const int RecordOverheadBytes = 32;

    private readonly DurableStore _store;
    private readonly long _snapshotWalBytes;
    private long _bytesSinceCheckpoint;
    private int _checkpointing;
    private Task _background = Task.CompletedTask;
    private volatile string? _checkpointError;

    private IndexJournal(DurableStore store, string directory, long snapshotWalBytes)
    {
        _store = store;
        Directory = directory;
        _snapshotWalBytes = snapshotWalBytes;
    }

    public string Directory { get; }

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public bool IsFailed => _store.IsFailed;

    public string? FailureReason => _store.FailureReason;

    /// <summary>Why the last background checkpoint failed, when it did; the log keeps every change meanwhile.</summary>
    public string? CheckpointError => _checkpointError;

    /// <summary>The LSN of the last change logged; under <see cref="Gate"/> also the last change applied.</summary>
    public long LastLsn => _store.LastAppendedLsn;

    public RecoveryReport Recovery => _store.Recovery;

    public static DurableStoreOptions StoreOptions(string directory, NativeOptions options) => new()
    {
        DataDirectory = directory,
        Mode = options.Durability,
        BatchInterval = TimeSpan.FromMilliseconds(options.BatchedIntervalMs),

        // Segments well under the snapshot threshold, so a checkpoint can drop most of the log.
        SegmentSize = Math.Clamp(options.SnapshotWalBytes / 2, 64 * 1024, 32L * 1024 * 1024),
    };

    /// <summary>Creates the index's directory and logs its definition durably (in every mode) before the index is used.</summary>
    public static async Task<IndexJournal> CreateAsync(IDurableFileSystem fileSystem, string directory, NativeOptions options, IndexDefinition definition, DateTimeOffset createdAt)
    {
        fileSystem.CreateDirectory(directory);
        var store = DurableStore.Open(fileSystem, StoreOptions(directory, options));
        try
        {
            await store.AppendAsync(JournalCodec.DefineType, JournalCodec.EncodeDefine(definition, createdAt)).ConfigureAwait(false);
            await store.FlushAsync().ConfigureAwait(false);
            return new IndexJournal(store, directory, options.SnapshotWalBytes);
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Opens and recovers the directory; the recovery holds the definition, or none when creation never finished.</summary>
    public static IndexJournal Open(IDurableFileSystem fileSystem, string directory, NativeOptions options, out IndexRecovery recovery)
    {
        var state = new IndexRecovery(directory, options.VectorFileDirectory);
        var store = DurableStore.Open(fileSystem, StoreOptions(directory, options), state.RestoreSnapshot, state.Replay);
        recovery = state;
        return new IndexJournal(store, directory, options.SnapshotWalBytes);
    }

    /// <summary>
    /// Logs a change and returns once it is as durable as the mode promises. A failed log becomes
    /// <see cref="StorageUnavailableException"/>, a full disk <see cref="CapacityExceededException"/>; either way
    /// the change was not logged and must not be applied.
    /// </summary>
    public async Task<long> AppendAsync(byte type, byte[] payload, string index, string operation)
    {
        try
        {
            var lsn = await _store.AppendAsync(type, payload).ConfigureAwait(false);
            Interlocked.Add(ref _bytesSinceCheckpoint, payload.Length + RecordOverheadBytes);
            return lsn;
        }
        catch (DurabilityFailedException ex)
        {
            throw WritesStopped(index, operation, _store.FailureReason ?? ex.Message, ex);
        }
        catch (DiskFullException ex)
        {
            throw new CapacityExceededException($"The disk holding {Directory} is full: the change was not stored; reads still work. {ex.Message}", ex)
            {
                SystemName = NativeConstants.SystemName,
                Index = index,
                Operation = operation,
            };
        }
        catch (ObjectDisposedException ex)
        {
            throw new StorageUnavailableException("The native storage is shutting down.", ex) { SystemName = NativeConstants.SystemName, Index = index, Operation = operation };
        }
    }

    public static StorageUnavailableException WritesStopped(string? index, string operation, string reason, Exception? inner = null)
    {
        var message = $"writes are stopped: the write-ahead log could not be made durable: {reason}";
        return inner is null
            ? new StorageUnavailableException(message) { SystemName = NativeConstants.SystemName, Index = index, Operation = operation }
            : new StorageUnavailableException(message, inner) { SystemName = NativeConstants.SystemName, Index = index, Operation = operation };
    }

    /// <summary>Starts a background checkpoint when the log has grown past the threshold and none is running.</summary>
    public void MaybeCheckpoint(Func<CancellationToken, Task<bool>> snapshot)
    {
        if (Interlocked.Read(ref _bytesSinceCheckpoint) < _snapshotWalBytes || _store.IsFailed)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _checkpointing, 1, 0) != 0)
        {
            return;
        }

        _background = Task.Run(async () =>
        {
            try
            {
                await snapshot(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // A failed checkpoint loses nothing: the log still holds every change. Health reports it.
                _checkpointError = $"{ex.GetType().Name}: {ex.Message}";
            }
            finally
            {
                Volatile.Write(ref _checkpointing, 0);
            }
        });
    }

    /// <summary>Writes a snapshot now; waits for a running background checkpoint first. False when nothing changed since the last.</summary>
    public async Task<bool> CheckpointAsync(Func<CancellationToken, Task<bool>> snapshot, CancellationToken cancellationToken)
    {
        while (Interlocked.CompareExchange(ref _checkpointing, 1, 0) != 0)
        {
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await snapshot(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _checkpointing, 0);
        }
    }

    /// <summary>
    /// Writes the snapshot of the state at <see cref="LastLsn"/>. The caller holds <see cref="Gate"/> throughout, so
    /// <paramref name="writeSections"/> sees exactly the changes up to that LSN. False when the last snapshot covers it.
    /// </summary>
    public async Task<bool> WriteSnapshotAsync(byte[] header, Action<SnapshotWriter> writeSections, CancellationToken cancellationToken)
    {
        var lsn = LastLsn;
        if (lsn <= _store.CheckpointLsn)
        {
            return false;
        }

        var bytesAtCut = Interlocked.Read(ref _bytesSinceCheckpoint);
        var written = await _store.CheckpointAsync(lsn, header, (writer, _) =>
        {
            writeSections(writer);
            return ValueTask.CompletedTask;
        }, cancellationToken).ConfigureAwait(false);
        if (written)
        {
            Interlocked.Add(ref _bytesSinceCheckpoint, -bytesAtCut);
            _checkpointError = null;
        }

        return written;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _background.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Already recorded in CheckpointError.
        }

        // The gate stays usable: a writer still waiting on it must be able to enter, see the index deleted, and leave.
        await _store.DisposeAsync().ConfigureAwait(false);
    }
}
