using Theodore.Engine.Distances;
using Theodore.Engine.Graph;
using Theodore.Engine.Threading;

namespace Theodore.Engine;

// Writes store a record (vector, key, metadata postings) at once and link it into the graph afterwards. Until it is
// linked a record is found by an exact scan of the unlinked slots, so a write is searchable the moment it returns
// whichever thread links it. With MaxPendingLinks = 0 the writer links everything before returning; above zero a
// background linker does it and writers only help once that many are waiting.
public sealed partial class VectorIndex
{
    private const int SliceSize = 64;
    private const int LinkerIdleMilliseconds = 200;

    private const int BacklogPollMilliseconds = 10;

    private readonly object _linkSignal = new();
    private readonly object _backlogSignal = new();

    private int _maxPendingLinks;
    private int _linkerRunning;
    private Exception? _linkFailure;
    private bool _linkerPaused;
    private bool _linkerStopped;
    private bool _linkerIdle;
    private int _refinedSinceRepair;
    private int _helperRunning;

    /// <summary>
    /// How many stored records may wait for the background linker before a writer links them itself (0, the default:
    /// every write links its records before it returns). Waiting records are searched exactly, so results never miss
    /// them; a search costs one distance per waiting record more.
    /// </summary>
    public int MaxPendingLinks
    {
        get => Volatile.Read(ref _maxPendingLinks);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            Volatile.Write(ref _maxPendingLinks, value);
            StartLinker();
        }
    }

    /// <summary>
    /// Records linked with the narrower <see cref="VectorIndexOptions.BacklogEfConstruction"/> beam while a backlog
    /// waited, not yet linked again with the full one. The background linker refines them once nothing waits to be
    /// linked; until then searches find them, through a graph of somewhat lower recall.
    /// </summary>
    public int PendingRefinements => Volatile.Read(ref _state).Coarse;

    /// <summary>Stored records not linked into the graph yet.</summary>
    public int PendingLinks
    {
        get
        {
            var st = Volatile.Read(ref _state);
            return st.Count - st.Linked;
        }
    }

    /// <summary>Links every record stored before the call, helping the background linker on every core.</summary>
    public void WaitForLinks()
    {
        ThrowIfLinkingFailed();
        var st = Volatile.Read(ref _state);
        int target = st.Count;
        if (st.Linked >= target)
        {
            return;
        }

        LinkBacklogOpen(st);

        // Slots claimed by the background linker finish on its threads.
        var spin = default(SpinWait);
        while (ReferenceEquals(st, Volatile.Read(ref _state)) && st.Linked < target)
        {
            ThrowIfLinkingFailed();
            spin.SpinOnce();
        }
    }

    // Before closing the gate (compaction, snapshot, integrity check): a large backlog is linked on every core with
    // writers still admitted, so the closed part stays short. Claims in flight need no wait: closing the gate does.
    private void PrepareToClose()
    {
        var st = Volatile.Read(ref _state);
        if (st.Unclaimed >= _options.ParallelBatchThreshold)
        {
            LinkBacklogOpen(st);
        }
    }

    private void LinkBacklogOpen(IndexState st) =>
        RunWorkers(st.Unclaimed >= _options.ParallelBatchThreshold ? Environment.ProcessorCount : 1, ctx => LinkSlices(ctx, background: false));

    // Stops writers (and the linker, which links inside the gate) and links what they left, so the returned state's
    // graph holds every stored record. A large backlog is linked first with the gate still open. The caller holds
    // the compaction lock and opens the gate again.
    private IndexState CloseGateAllLinked()
    {
        PrepareToClose();
        _gate.Close();
        try
        {
            var st = Volatile.Read(ref _state);
            LinkRemainderClosed(st);
            return st;
        }
        catch
        {
            _gate.Open();
            throw;
        }
    }

    // True when the background linker takes the records past MaxPendingLinks and writers wait for it (AwaitBacklog)
    // instead of linking inside the gate.
    private bool BackgroundLinks =>
        Volatile.Read(ref _maxPendingLinks) > 0 && !Volatile.Read(ref _linkerPaused) && !Volatile.Read(ref _linkerStopped) && Volatile.Read(ref _linkFailure) is null;

    // Holds a writer, outside the gate, until at most MaxPendingLinks records wait. The background linker links on
    // every core meanwhile (see MaybeStartHelper), so a writer waiting for its sync leaves no core idle; when the
    // linker cannot run (paused, stopped, failed), the writer links the excess itself as before.
    private void AwaitBacklog()
    {
        while (true)
        {
            // Counted as PendingLinks counts (claimed but unfinished slots too), so a returned write never leaves
            // more than the limit waiting.
            int max = Volatile.Read(ref _maxPendingLinks);
            if (max == 0 || PendingLinks <= max)
            {
                return;
            }

            if (!BackgroundLinks)
            {
                ThrowIfLinkingFailed();
                LinkExcess();
                return;
            }

            StartLinker();
            lock (_backlogSignal)
            {
                if (PendingLinks > max)
                {
                    Monitor.Wait(_backlogSignal, BacklogPollMilliseconds);
                }
            }
        }
    }

    private void LinkExcess()
    {
        _gate.Enter();
        try
        {
            var st = Volatile.Read(ref _state);
            int keep = Volatile.Read(ref _maxPendingLinks);
            RunWorkers(st.Unclaimed - keep >= _options.ParallelBatchThreshold ? Environment.ProcessorCount : 1, ctx => LinkBacklog(st, ctx, keep));
            MaybeRepair(st);
        }
        finally
        {
            _gate.Exit();
        }
    }

    /// <summary>Holds the background linker back so tests can look at records waiting to be linked.</summary>
    internal bool LinkerPaused
    {
        get => Volatile.Read(ref _linkerPaused);
        set
        {
            Volatile.Write(ref _linkerPaused, value);
            StartLinker();
        }
    }

    /// <summary>
    /// Stops background linking for good, for an index being dropped or closed; records still waiting stay searchable
    /// and are linked by writers past <see cref="MaxPendingLinks"/>, a snapshot or <see cref="WaitForLinks"/>.
    /// </summary>
    public void StopLinker() => Volatile.Write(ref _linkerStopped, true);

    private void ThrowIfLinkingFailed()
    {
        if (Volatile.Read(ref _linkFailure) is { } failure)
        {
            throw new InvalidOperationException("Linking records into the graph failed; the index takes no more writes.", failure);
        }
    }

    // Called with the gate entered: links the oldest waiting records until at most keep are left unclaimed.
    private void LinkBacklog(IndexState st, SearchContext ctx, int keep) => LinkClaims(st, ctx, keep, int.MaxValue);

    // Claims and links up to max slots in slot order while more than keep are unclaimed; returns how many it linked.
    private int LinkClaims(IndexState st, SearchContext ctx, int keep, int max)
    {
        int linked = 0;
        while (linked < max && st.Unclaimed > keep && st.TryClaimLink(out int slot))
        {
            bool coarse = UnderBacklog(st);
            LinkNew(st, slot, st.Level(slot), ctx, coarse ? _options.BacklogEfConstruction : _options.EfConstruction);
            st.CompleteLink(slot, coarse);
            linked++;
        }

        return linked;
    }

    // More than half the allowed backlog waiting: link with the narrower beam so ingest keeps up, and refine later.
    private bool UnderBacklog(IndexState st)
    {
        int max = Volatile.Read(ref _maxPendingLinks);
        return max > 0 && st.Unclaimed > max / 2 && _options.BacklogEfConstruction < _options.EfConstruction;
    }

    // Links coarse slots again with the full beam, oldest first, while no new record waits; returns how many.
    private int RefineClaims(IndexState st, SearchContext ctx, int max)
    {
        int refined = 0;
        while (refined < max && st.Unclaimed == 0 && st.TryClaimRefine(out int slot))
        {
            // The same insert at the full beam; its lists merge with the coarse ones. The entry point and deleted
            // slots are left as they are.
            if ((int)st.Entry != slot && !st.IsTombstone(slot))
            {
                LinkNew(st, slot, st.Level(slot), ctx, _options.EfConstruction);
            }

            st.CompleteRefine(slot);
            refined++;
        }

        if (refined > 0)
        {
            Interlocked.Add(ref _refinedSinceRepair, refined);
        }

        return refined;
    }

    // With the gate closed nobody holds a claim, so this finishes every stored slot.
    private void LinkRemainderClosed(IndexState st)
    {
        var ctx = _pool.Rent();
        try
        {
            LinkBacklog(st, ctx, 0);
        }
        finally
        {
            _pool.Return(ctx);
        }
    }

    private void LinkSlices(SearchContext ctx, bool background)
    {
        while (LinkSlice(ctx, background))
        {
        }
    }

    // Enters the gate for a slice at a time so compaction and snapshots can close it in between; false when done.
    private bool LinkSlice(SearchContext ctx, bool background)
    {
        if (background && Volatile.Read(ref _linkerStopped))
        {
            return false;
        }

        _gate.Enter();
        try
        {
            var st = Volatile.Read(ref _state);

            // With MaxPendingLinks 0 writers link their own records; the background only refines.
            int linked = background && Volatile.Read(ref _maxPendingLinks) == 0 ? 0 : LinkClaims(st, ctx, 0, SliceSize);
            if (linked > 0)
            {
                MaybeRepair(st);
                if (background)
                {
                    MaybeStartHelper(st);
                    lock (_backlogSignal)
                    {
                        Monitor.PulseAll(_backlogSignal);
                    }
                }

                return true;
            }

            if (!background || RefineClaims(st, ctx, SliceSize) == 0)
            {
                return false;
            }

            MaybeRepair(st);
            return true;
        }
        finally
        {
            _gate.Exit();
        }
    }

    private void StartLinker()
    {
        if (Volatile.Read(ref _linkerPaused) || Volatile.Read(ref _linkerStopped) || !HasBackgroundWork() || Volatile.Read(ref _linkFailure) is not null)
        {
            return;
        }

        if (Interlocked.CompareExchange(ref _linkerRunning, 1, 0) == 0)
        {
            new Thread(RunLinker) { IsBackground = true, Name = "Theodore.Engine linker" }.Start();
        }
        else if (Volatile.Read(ref _linkerIdle))
        {
            lock (_linkSignal)
            {
                Monitor.Pulse(_linkSignal);
            }
        }
    }

    // The linker thread stays a while after the backlog is gone: writers arriving one by one would otherwise start a
    // thread per write, and thread starts are what a busy 2-core machine can least afford.
    private void RunLinker()
    {
        BackgroundPriority.LowerCurrentThread();
        do
        {
            try
            {
                do
                {
                    // One core is left to writers and searches: the backlog waits, they would not.
                    RunWorkers(Math.Max(1, Environment.ProcessorCount - 1), ctx => LinkSlices(ctx, background: true), lowPriority: true);
                    MaybeReleaseCodes();
                }
                while (AwaitLinkWork());
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A claimed slot that never completes holds Linked back: searches still scan it, writes stop.
                Interlocked.CompareExchange(ref _linkFailure, ex, null);
            }
            finally
            {
                Volatile.Write(ref _linkerRunning, 0);
            }
        }
        while (Volatile.Read(ref _linkFailure) is null && !Volatile.Read(ref _linkerStopped) && HasBackgroundWork() && Interlocked.CompareExchange(ref _linkerRunning, 1, 0) == 0);
    }

    // Under a backlog the linker takes the core it leaves to writers too: a writer held back by the backlog spends
    // most of its time waiting for the log's sync, and that core would idle. The helper leaves once the backlog is
    // down to half the limit, so it starts at most once per burst.
    private void MaybeStartHelper(IndexState st)
    {
        if (UnderBacklog(st) && Interlocked.CompareExchange(ref _helperRunning, 1, 0) == 0)
        {
            new Thread(RunHelper) { IsBackground = true, Name = "Theodore.Engine linker (backlog)" }.Start();
        }
    }

    // Like the linker, the helper stays a while after the backlog has shrunk: a backlog hovering around half the
    // limit would otherwise start a thread every few writes (TICKET-005).
    private void RunHelper()
    {
        BackgroundPriority.LowerCurrentThread();
        var ctx = _pool.Rent();
        try
        {
            long busy = Environment.TickCount64;
            while (!Volatile.Read(ref _linkerPaused) && !Volatile.Read(ref _linkerStopped) && Volatile.Read(ref _linkFailure) is null)
            {
                if (UnderBacklog(Volatile.Read(ref _state)) && LinkSlice(ctx, background: true))
                {
                    busy = Environment.TickCount64;
                    continue;
                }

                if (Environment.TickCount64 - busy > LinkerIdleMilliseconds)
                {
                    break;
                }

                lock (_backlogSignal)
                {
                    Monitor.Wait(_backlogSignal, BacklogPollMilliseconds);
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Interlocked.CompareExchange(ref _linkFailure, ex, null);
        }
        finally
        {
            _pool.Return(ctx);
            Volatile.Write(ref _helperRunning, 0);
        }
    }

    // Gives the build's codes back once the index is at rest after a bulk of links (IndexState.CodesAtRest): they are
    // a quarter of the vectors' memory, and an index that is only searched should not carry them. The next build
    // makes them again. Releasing closes the writer gate for a moment, so no build is walking on them.
    private void MaybeReleaseCodes()
    {
        if (!Volatile.Read(ref _state).CodesAtRest || !_compactLock.TryEnter())
        {
            return;
        }

        try
        {
            _gate.Close();
            try
            {
                var st = Volatile.Read(ref _state);
                if (st.CodesAtRest)
                {
                    st.ReleaseCodes();
                }
            }
            finally
            {
                _gate.Open();
            }
        }
        finally
        {
            _compactLock.Exit();
        }
    }

    // Records to link (when the background links them at all) or coarse links to refine.
    private bool HasBackgroundWork()
    {
        var st = Volatile.Read(ref _state);
        return (Volatile.Read(ref _maxPendingLinks) > 0 && st.Unclaimed > 0) || st.HasRefinable;
    }

    // True when there is work again within the idle time.
    private bool AwaitLinkWork()
    {
        lock (_linkSignal)
        {
            if (!HasBackgroundWork() && !Volatile.Read(ref _linkerStopped))
            {
                Volatile.Write(ref _linkerIdle, true);
                Monitor.Wait(_linkSignal, LinkerIdleMilliseconds);
                Volatile.Write(ref _linkerIdle, false);
            }
        }

        return !Volatile.Read(ref _linkerStopped) && !Volatile.Read(ref _linkerPaused) && HasBackgroundWork();
    }

    // Runs work on `threads` threads (the caller's among them) and rethrows the first failure; lowPriority starts the
    // extra threads at the background priority.
    private void RunWorkers(int threads, Action<SearchContext> work, bool lowPriority = false)
    {
        if (threads <= 1)
        {
            var ctx = _pool.Rent();
            try
            {
                work(ctx);
            }
            finally
            {
                _pool.Return(ctx);
            }

            return;
        }

        Exception? failure = null;
        var workers = new Thread[threads - 1];
        for (int t = 0; t < workers.Length; t++)
        {
            // Dedicated threads, like hnswlib's build.
            workers[t] = new Thread(() =>
            {
                try
                {
                    if (lowPriority)
                    {
                        BackgroundPriority.LowerCurrentThread();
                    }

                    RunWorkers(1, work);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Interlocked.CompareExchange(ref failure, ex, null);
                }
            })
            { IsBackground = true, Name = "Theodore.Engine build" };
            workers[t].Start();
        }

        try
        {
            RunWorkers(1, work);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            Interlocked.CompareExchange(ref failure, ex, null);
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }

        if (failure is not null)
        {
            throw new AggregateException("Linking records into the graph failed.", failure);
        }
    }

    private void LinkNew(IndexState st, int slot, int level, SearchContext ctx, int ef)
    {
        switch (_options.Metric)
        {
            case DistanceMetric.Cosine:
                LinkNew<CosineDistance>(st, slot, level, ctx, ef);
                break;
            case DistanceMetric.Euclidean:
                LinkNew<SquaredL2Distance>(st, slot, level, ctx, ef);
                break;
            case DistanceMetric.DotProduct:
                LinkNew<NegativeDotDistance>(st, slot, level, ctx, ef);
                break;
            default:
                Hnsw<L1Distance>.Insert(st, slot, level, ctx, ef, ExactWalk<L1Distance>.From(st, slot));
                break;
        }
    }

    // The build walks on 8-bit codes where they pay (see ScalarCodes and ADR 0007).
    private static void LinkNew<TMetric>(IndexState st, int slot, int level, SearchContext ctx, int ef)
        where TMetric : struct, ICodedDistance
    {
        if (st.HasCodes)
        {
            Hnsw<TMetric>.Insert(st, slot, level, ctx, ef, CodedWalk<TMetric>.From(st.AcquireCodes(), slot));
        }
        else
        {
            Hnsw<TMetric>.Insert(st, slot, level, ctx, ef, ExactWalk<TMetric>.From(st, slot));
        }
    }
}
