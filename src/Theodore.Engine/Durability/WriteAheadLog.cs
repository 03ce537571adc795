using System.Buffers;
using System.Security.Cryptography;
using System.Threading.Channels;

namespace Theodore.Engine.Durability;

/// <summary>
/// An append-only log of typed byte records in segment files, with group commit: one writer loop takes every append
/// queued while the previous flush ran, writes them with one write and makes them durable with one fdatasync.
/// A failed flush is fatal (<see cref="IsFailed"/>): the unflushed data is in an unknown state, so no later append
/// is acknowledged and the process must restart and recover. A full disk fails only the appends it hit.
/// </summary>
public sealed class WriteAheadLog : IAsyncDisposable
{
    private readonly IDurableFileSystem _fileSystem;
    private readonly WriteAheadLogOptions _options;
    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _segmentsGate = new();
    private readonly List<WalSegmentInfo> _segments;
    private readonly CancellationTokenSource _stopping = new();
    private Task _writer = Task.CompletedTask;
    private Task _batchTimer = Task.CompletedTask;
    private IDurableFile? _active;
    private ulong _activeSequence;
    private long _activeLength;
    private uint _chain;
    private long _nextLsn;
    private long _lastAppendedLsn;
    private long _lastDurableLsn;
    private volatile bool _dirty;
    private volatile Exception? _failure;
    private int _disposed;

    private WriteAheadLog(IDurableFileSystem fileSystem, WriteAheadLogOptions options, List<WalSegmentInfo> segments, WalRecoveryResult recovery)
    {
        _fileSystem = fileSystem;
        _options = options;
        _segments = segments;
        Recovery = recovery;
    }

    /// <summary>What the scan at open found: segments, records, and the torn tail it cut off, if any.</summary>
    public WalRecoveryResult Recovery { get; }

    public DurabilityMode Mode => _options.Mode;

    public bool IsFailed => _failure is not null;

    /// <summary>Why the log stopped accepting writes, for the readiness probe; null while healthy.</summary>
    public string? FailureReason => _failure is { } failure ? $"{failure.GetType().Name}: {failure.Message}" : null;

    /// <summary>The LSN of the last record written to the log (in <see cref="DurabilityMode.Sync"/> also durable).</summary>
    public long LastAppendedLsn => Interlocked.Read(ref _lastAppendedLsn);

    /// <summary>The LSN up to which every record is known to be on stable storage.</summary>
    public long LastDurableLsn => Interlocked.Read(ref _lastDurableLsn);

    public IReadOnlyList<WalSegmentInfo> Segments
    {
        get
        {
            lock (_segmentsGate)
            {
                return [.. _segments];
            }
        }
    }

    /// <summary>
    /// Scans the log in <see cref="WriteAheadLogOptions.Directory"/>, hands every record with an LSN above
    /// <paramref name="replayAfterLsn"/> to <paramref name="replay"/> in LSN order, cuts off a torn tail, and opens
    /// the log for appending. A new log starts at <paramref name="replayAfterLsn"/> + 1.
    /// </summary>
    public static WriteAheadLog Open(IDurableFileSystem fileSystem, WriteAheadLogOptions options, long replayAfterLsn = 0, Action<WalRecord>? replay = null)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(replayAfterLsn);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.SegmentSize, WalFormat.HeaderSize, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxRecordLength, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBatchBytes, nameof(options));
        if (options.Mode == DurabilityMode.Batched)
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.BatchInterval, TimeSpan.Zero, nameof(options));
        }

        if (options.Mode == DurabilityMode.None)
        {
            var empty = new WalRecoveryResult { Segments = [], NextLsn = replayAfterLsn + 1, RecordsRead = 0, RecordsReplayed = 0 };
            var memoryOnly = new WriteAheadLog(fileSystem, options, [], empty);
            memoryOnly._nextLsn = replayAfterLsn + 1;
            memoryOnly._lastAppendedLsn = replayAfterLsn;
            memoryOnly._lastDurableLsn = replayAfterLsn;
            return memoryOnly;
        }

        fileSystem.CreateDirectory(options.Directory);
        var recovery = WalRecovery.Run(fileSystem, options.Directory, options.MaxRecordLength, replayAfterLsn, replay);
        var segments = new List<WalSegmentInfo>(recovery.Segments);
        if (segments.Count == 0 && replayAfterLsn > 0)
        {
            throw new CorruptDataException(options.Directory, 0, $"the log has no segments although the snapshot expects records after LSN {replayAfterLsn}");
        }

        if (segments.Count > 0)
        {
            var first = segments[0];
            if (first.FirstLsn > replayAfterLsn + 1)
            {
                throw new CorruptDataException(
                    Path.Combine(options.Directory, first.FileName),
                    20,
                    $"the log starts at LSN {first.FirstLsn} but the snapshot covers only up to LSN {replayAfterLsn}; the records in between are missing");
            }

            if (recovery.NextLsn - 1 < replayAfterLsn)
            {
                throw new CorruptDataException(
                    Path.Combine(options.Directory, segments[^1].FileName),
                    recovery.LastSegmentEnd,
                    $"the log ends at LSN {recovery.NextLsn - 1} but the snapshot covers up to LSN {replayAfterLsn}");
            }
        }

        var log = new WriteAheadLog(fileSystem, options, segments, recovery);
        try
        {
            if (segments.Count == 0)
            {
                log._nextLsn = replayAfterLsn + 1;
                log.CreateSegment(1);
            }
            else
            {
                var last = segments[^1];
                log._active = fileSystem.OpenFile(Path.Combine(options.Directory, last.FileName), DurableFileMode.Open);
                log._activeSequence = last.Sequence;
                log._activeLength = recovery.LastSegmentEnd;
                log._chain = recovery.LastSegmentChain;
                log._nextLsn = recovery.NextLsn;
            }

            log._lastAppendedLsn = log._nextLsn - 1;
            log._lastDurableLsn = log._nextLsn - 1;
            log._writer = Task.Run(log.WriteLoopAsync);
            if (options.Mode == DurabilityMode.Batched)
            {
                log._batchTimer = Task.Run(log.BatchTimerAsync);
            }

            return log;
        }
        catch
        {
            log._active?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends one record and completes with its LSN once the record is as durable as <see cref="Mode"/> promises.
    /// <paramref name="payload"/> must not change until the task completes. Throws
    /// <see cref="DurabilityFailedException"/> once the log has failed and <see cref="DiskFullException"/> when the
    /// disk is full; in both cases the record is not in the log.
    /// </summary>
    public Task<long> AppendAsync(byte type, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(payload.Length, _options.MaxRecordLength, nameof(payload));
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ThrowIfFailed();
        if (_options.Mode == DurabilityMode.None)
        {
            var lsn = Interlocked.Increment(ref _nextLsn) - 1;
            InterlockedMax(ref _lastAppendedLsn, lsn);
            InterlockedMax(ref _lastDurableLsn, lsn);
            return Task.FromResult(lsn);
        }

        var request = new Request(type, payload, isFlush: false);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(request), this);

        return request.Completion.Task;
    }

    /// <summary>Makes every record appended so far durable and returns the LSN it reached.</summary>
    public Task<long> FlushAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ThrowIfFailed();
        if (_options.Mode == DurabilityMode.None)
        {
            return Task.FromResult(LastDurableLsn);
        }

        var request = new Request(0, ReadOnlyMemory<byte>.Empty, isFlush: true);
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(request), this);

        return request.Completion.Task;
    }

    /// <summary>
    /// Deletes the closed segments whose records all have an LSN below <paramref name="lsn"/>, oldest first, once a
    /// durable snapshot covers them. Each is renamed to <c>.deleted</c> and the directory synced before the unlink, so
    /// a crash leaves a contiguous suffix of the log. Returns how many segments went.
    /// </summary>
    public int TruncateBefore(long lsn)
    {
        ThrowIfFailed();
        if (_options.Mode == DurabilityMode.None)
        {
            return 0;
        }

        var removed = 0;
        while (true)
        {
            WalSegmentInfo victim;
            lock (_segmentsGate)
            {
                if (_segments.Count < 2 || _segments[1].FirstLsn > lsn)
                {
                    return removed;
                }

                victim = _segments[0];
            }

            var path = Path.Combine(_options.Directory, victim.FileName);
            var deleted = path + DataDirectoryCleanup.DeletedSuffix;
            try
            {
                _fileSystem.Rename(path, deleted);
                _fileSystem.SyncDirectory(_options.Directory);
                _fileSystem.DeleteFile(deleted);
            }
            catch (Exception ex)
            {
                Fail(ex);
                throw new DurabilityFailedException($"Removing the log segment {path} failed; the log accepts no more writes.", ex);
            }

            lock (_segmentsGate)
            {
                _segments.RemoveAt(0);
            }

            removed++;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _queue.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _batchTimer.ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        if (_dirty && _failure is null && _active is not null)
        {
            try
            {
                _active.Flush();
            }
            catch (Exception ex) when (ex is IOException)
            {
                Fail(ex);
            }
        }

        _active?.Dispose();
        _stopping.Dispose();
    }

    private static void InterlockedMax(ref long target, long value)
    {
        var current = Interlocked.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private static bool IsDiskFull(IOException exception)
    {
        const int unixNoSpace = 28;
        const int windowsDiskFull = unchecked((int)0x80070070);
        const int windowsHandleDiskFull = unchecked((int)0x80070027);
        return exception.HResult is unixNoSpace or windowsDiskFull or windowsHandleDiskFull;
    }

    private void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw Failed(failure);
        }
    }

    private DurabilityFailedException Failed(Exception cause) =>
        new($"The write-ahead log in {_options.Directory} failed to reach the disk and accepts no more writes: {cause.Message}", cause);

    private void Fail(Exception cause) => Interlocked.CompareExchange(ref _failure, cause, null);

    private async Task BatchTimerAsync()
    {
        using var timer = new PeriodicTimer(_options.BatchInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                if (_dirty)
                {
                    _queue.Writer.TryWrite(new Request(0, ReadOnlyMemory<byte>.Empty, isFlush: true));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposal stops the timer; the final flush happens in DisposeAsync.
        }
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Request>();
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            long bytes = 0;
            while (bytes < _options.MaxBatchBytes && reader.TryRead(out var request))
            {
                batch.Add(request);
                if (!request.IsFlush)
                {
                    bytes += WalFormat.RecordSize(request.Payload.Length);
                }
            }

            try
            {
                Process(batch, bytes);
            }
            catch (Exception ex)
            {
                // Anything unexpected leaves the files in an unknown state: stop acknowledging.
                Fail(ex);
                foreach (var request in batch)
                {
                    request.Completion.TrySetException(Failed(ex));
                }
            }
        }
    }

    private void Process(List<Request> batch, long bytes)
    {
        if (_failure is { } failure)
        {
            foreach (var request in batch)
            {
                request.Completion.TrySetException(Failed(failure));
            }

            return;
        }

        if (batch.Exists(r => !r.IsFlush))
        {
            AppendBatch(batch, bytes);
        }

        var flushes = batch.FindAll(r => r.IsFlush);
        if (flushes.Count == 0)
        {
            return;
        }

        if (_dirty)
        {
            FlushActive();
        }

        foreach (var request in flushes)
        {
            request.Completion.TrySetResult(LastDurableLsn);
        }
    }

    private void AppendBatch(List<Request> batch, long bytes)
    {
        if (_activeLength >= _options.SegmentSize)
        {
            try
            {
                Rotate();
            }
            catch (IOException ex) when (IsDiskFull(ex))
            {
                FailAppends(batch, new DiskFullException($"No space left to start a new log segment in {_options.Directory}.", ex));
                return;
            }
        }

        var buffer = ArrayPool<byte>.Shared.Rent(checked((int)bytes));
        try
        {
            var offset = 0;
            var lsn = _nextLsn;
            var chain = _chain;
            foreach (var request in batch)
            {
                if (!request.IsFlush)
                {
                    request.Lsn = lsn;
                    chain = WalFormat.WriteRecord(buffer.AsSpan(offset), chain, request.Type, lsn, request.Payload.Span);
                    offset += (int)WalFormat.RecordSize(request.Payload.Length);
                    lsn++;
                }
            }

            try
            {
                _active!.Write(_activeLength, buffer.AsSpan(0, offset));
            }
            catch (IOException ex) when (IsDiskFull(ex))
            {
                // Cut off whatever part of the batch landed, so the next batch continues the chain at the same place.
                _active!.SetLength(_activeLength);
                FailAppends(batch, new DiskFullException($"No space left on the device for the log in {_options.Directory}.", ex));
                return;
            }

            _activeLength += offset;
            _nextLsn = lsn;
            _chain = chain;
            _dirty = true;
            Interlocked.Exchange(ref _lastAppendedLsn, lsn - 1);
            if (_options.Mode == DurabilityMode.Sync)
            {
                FlushActive();
            }

            foreach (var request in batch)
            {
                if (!request.IsFlush)
                {
                    request.Completion.TrySetResult(request.Lsn);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void FailAppends(List<Request> batch, Exception error)
    {
        foreach (var request in batch)
        {
            if (!request.IsFlush)
            {
                request.Completion.TrySetException(error);
            }
        }
    }

    private void FlushActive()
    {
        var reached = _nextLsn - 1;
        _active!.Flush();
        _dirty = false;
        Interlocked.Exchange(ref _lastDurableLsn, reached);
    }

    // The closed segment is flushed before its successor exists, so a durable successor always follows a complete segment.
    private void Rotate()
    {
        FlushActive();
        CreateSegment(_activeSequence + 1);
    }

    private void CreateSegment(ulong sequence)
    {
        var name = WalFormat.SegmentName(_nextLsn);
        var path = Path.Combine(_options.Directory, name);
        var temporary = path + DataDirectoryCleanup.TemporarySuffix;
        Span<byte> header = stackalloc byte[WalFormat.HeaderSize];
        Span<byte> salt = stackalloc byte[4];
        RandomNumberGenerator.Fill(salt);
        var saltValue = BitConverter.ToUInt32(salt);
        WalFormat.WriteHeader(header, sequence, _nextLsn, saltValue);
        using (var file = _fileSystem.OpenFile(temporary, DurableFileMode.Create))
        {
            try
            {
                file.Write(0, header);
            }
            catch (IOException ex) when (IsDiskFull(ex))
            {
                file.Dispose();
                _fileSystem.DeleteFile(temporary);
                throw;
            }

            file.Flush();
        }

        _fileSystem.Rename(temporary, path);
        _fileSystem.SyncDirectory(_options.Directory);
        var active = _fileSystem.OpenFile(path, DurableFileMode.Open);
        _active?.Dispose();
        _active = active;
        _activeSequence = sequence;
        _activeLength = WalFormat.HeaderSize;
        _chain = saltValue;
        lock (_segmentsGate)
        {
            _segments.Add(new WalSegmentInfo(name, sequence, _nextLsn));
        }
    }

    private sealed class Request(byte type, ReadOnlyMemory<byte> payload, bool isFlush)
    {
        public byte Type { get; } = type;

        public ReadOnlyMemory<byte> Payload { get; } = payload;

        public bool IsFlush { get; } = isFlush;

        public long Lsn { get; set; }

        public TaskCompletionSource<long> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
