using Theodore.Engine.Threading;

namespace Theodore.Engine;

/// <summary>
/// An online rebuild of one <see cref="VectorIndex"/>'s graph (ADR 0017), begun with
/// <see cref="VectorIndex.BeginRebuild"/>. <see cref="BuildAsync"/> fills a new graph with the new options from the
/// records as they were at the cut, on background threads, while the index keeps serving reads and writes on its old
/// graph; every key written meanwhile is noted and copied again, and <see cref="Complete"/> applies the last of them
/// and swaps the new graph in under the index's writer gate. <see cref="Dispose"/> before completion abandons it and
/// leaves the index as it was.
/// </summary>
public sealed class GraphRebuild : IDisposable
{
    // Small batches keep the progress current and the work between two looks at the cancellation token short.
    private const int CopyBatch = 2_048;

    // The catch-up rounds stop once a round finds this few writes left: the last ones are applied with writers held.
    private const int SwapBacklog = 256;
    private const int MaxCatchUpRounds = 16;

    private readonly VectorIndex _source;
    private readonly VectorIndex _target;
    private readonly RebuildCapture _capture;
    private readonly string[] _cut;
    private readonly int _threads;
    private long _done;
    private long _caughtUp;
    private int _state;

    internal GraphRebuild(VectorIndex source, VectorIndex target, RebuildCapture capture, string[] cut, int threads)
    {
        _source = source;
        _target = target;
        _capture = capture;
        _cut = cut;
        _threads = threads;
    }

    /// <summary>The options the new graph is built with.</summary>
    public VectorIndexOptions Options => _target.Options;

    /// <summary>Live records at the cut: what the build copies before it catches up.</summary>
    public long RecordsTotal => _cut.Length;

    /// <summary>Records of the cut copied into the new graph so far.</summary>
    public long RecordsDone => Interlocked.Read(ref _done);

    /// <summary>Records written since the cut that have been copied again (catch-up rounds and the swap).</summary>
    public long RecordsCaughtUp => Interlocked.Read(ref _caughtUp);

    /// <summary>True once the copy of the cut is done and the rebuild is applying the writes made meanwhile.</summary>
    public bool CatchingUp => Volatile.Read(ref _state) >= 1;

    /// <summary>True once the new graph serves the index.</summary>
    public bool Completed => Volatile.Read(ref _state) == 2;

    /// <summary>
    /// Copies the cut and catches up with the writes made meanwhile, on a dedicated thread at background priority
    /// (plus up to the rebuild's thread count minus one workers at the same priority), so searches and writers keep
    /// the cores they need. Completes when the new graph is ready for <see cref="Complete"/>.
    /// </summary>
    public Task BuildAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) < 0, this);
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                BackgroundPriority.LowerCurrentThread();
                Build(cancellationToken);
                done.TrySetResult();
            }
            catch (OperationCanceledException canceled)
            {
                done.TrySetCanceled(canceled.CancellationToken);
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "Theodore.Engine rebuild",
        };
        thread.Start();
        return done.Task;
    }

    /// <summary>
    /// Copies the writes made since the last round into the new graph; returns how many keys it copied again. Cheap
    /// when called with writers held elsewhere (the adapter's log gate), which leaves nothing for the swap.
    /// </summary>
    public int CatchUp()
    {
        ThrowIfFinished();
        var keys = _capture.TakeAll();
        if (keys.Length > 0)
        {
            _source.CopyInto(_target, keys, 1);
            Interlocked.Add(ref _caughtUp, keys.Length);
        }

        return keys.Length;
    }

    /// <summary>
    /// Applies the writes made since the last catch-up with the index's writers held, then swaps the new graph in:
    /// searches already running finish on the old graph, every later one (and every write) uses the new one. Writers
    /// wait only for the last few writes to be linked into the new graph.
    /// </summary>
    public void Complete()
    {
        ThrowIfFinished();
        _source.AdoptRebuilt(_target, _capture, keys => Interlocked.Add(ref _caughtUp, keys));
        Volatile.Write(ref _state, 2);
    }

    /// <summary>Abandons a rebuild that has not completed: the index keeps its graph and stops noting writes.</summary>
    public void Dispose()
    {
        int state;
        do
        {
            state = Volatile.Read(ref _state);
            if (state is < 0 or 2)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _state, -1, state) != state);

        _source.EndCapture(_capture);
        _target.StopLinker();
    }

    private void Build(CancellationToken cancellationToken)
    {
        for (int start = 0; start < _cut.Length; start += CopyBatch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfFinished();
            int end = Math.Min(_cut.Length, start + CopyBatch);
            _source.CopyInto(_target, _cut.AsSpan(start, end - start), _threads);
            Interlocked.Add(ref _done, end - start);
        }

        Interlocked.CompareExchange(ref _state, 1, 0);
        for (int round = 0; round < MaxCatchUpRounds; round++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (CatchUp() <= SwapBacklog)
            {
                break;
            }
        }

        // A graph reached from its entry point everywhere before it serves: the swap then only adds the last writes.
        _target.RepairGraph();
    }

    private void ThrowIfFinished()
    {
        var state = Volatile.Read(ref _state);
        ObjectDisposedException.ThrowIf(state < 0, this);
        if (state == 2)
        {
            throw new InvalidOperationException("The rebuild has already completed.");
        }
    }
}
