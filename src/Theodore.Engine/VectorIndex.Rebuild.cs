using Theodore.Engine.Graph;

namespace Theodore.Engine;

// Online rebuilds (ADR 0017). The new graph is a second VectorIndex that nobody else sees; records reach it through
// CopyInto, the one place a record moves between graphs, and its state is adopted whole under the writer gate.
public sealed unsafe partial class VectorIndex
{
    private RebuildCapture? _capture;

    /// <summary>True while a <see cref="GraphRebuild"/> of this index runs.</summary>
    public bool IsRebuilding => Volatile.Read(ref _capture) is not null;

    /// <summary>
    /// Starts an online rebuild of the graph with <paramref name="options"/> (same dimension and metric; M,
    /// efConstruction and the other tunables may change): the live records as of now are the cut, and every key
    /// written from now on is noted for the rebuild. Nothing is built until <see cref="GraphRebuild.BuildAsync"/>.
    /// With the current options it reclaims a graph full of tombstones without stopping writers. One rebuild at a
    /// time; <paramref name="threads"/> bounds the build's threads (0: one less than the cores, at least one).
    /// </summary>
    public GraphRebuild BeginRebuild(VectorIndexOptions options, int threads = 0)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(threads);
        options.Validate(nameof(options));
        if (options.Dimension != _options.Dimension || options.Metric != _options.Metric)
        {
            throw new ArgumentException($"A rebuild keeps the dimension ({_options.Dimension}) and the metric ({_options.Metric}).", nameof(options));
        }

        ThrowIfLinkingFailed();
        var capture = new RebuildCapture();
        if (Interlocked.CompareExchange(ref _capture, capture, null) is not null)
        {
            throw new InvalidOperationException("A rebuild of this index is already running.");
        }

        // The capture is published (a full fence) before the keys are read, and a writer notes its key after its
        // change (a full fence too): any write either shows in the cut or is noted, usually both.
        var target = new VectorIndex(options);
        target.StopLinker();
        var cut = Volatile.Read(ref _state).SnapshotKeys();
        return new GraphRebuild(this, target, capture, cut, threads == 0 ? Math.Max(1, Environment.ProcessorCount - 1) : threads);
    }

    // Writers call it inside the gate after their change; the final catch-up runs with the gate closed, so it sees
    // every key written before the swap.
    private void NoteWritten(string key) => Volatile.Read(ref _capture)?.Add(key);

    internal void EndCapture(RebuildCapture capture) => Interlocked.CompareExchange(ref _capture, null, capture);

    /// <summary>
    /// Copies the records under <paramref name="keys"/> as this index holds them now into <paramref name="target"/>
    /// (replacing what it holds under those keys) and removes from it the keys this index no longer holds, then links
    /// them on <paramref name="threads"/> threads at background priority.
    /// </summary>
    internal void CopyInto(VectorIndex target, ReadOnlySpan<string> keys, int threads)
    {
        target._gate.Enter();
        try
        {
            var into = Volatile.Read(ref target._state);
            foreach (var key in keys)
            {
                // A slot's vector never changes once stored; its metadata and state change only through writes,
                // which note the key, so a copy read from a state a writer or a compaction moved past is copied again.
                var from = Volatile.Read(ref _state);
                if (from.TryGetSlot(key, out int slot))
                {
                    // Stored as it is (a Cosine vector is already normalized, and normalizing again could move a bit),
                    // with its soft-delete and expiry state: a soft-deleted record stays restorable in the new graph.
                    into.Allocate(key, new ReadOnlySpan<float>(from.Vector(slot), from.Dimension), from.MetadataOf(slot), -1, from.StateOf(slot), out _);
                    Interlocked.Increment(ref target._version);
                }
                else if (into.Delete(key))
                {
                    Interlocked.Increment(ref target._version);
                }
            }

            target.RunWorkers(into.Unclaimed >= target._options.ParallelBatchThreshold ? threads : 1, c => target.LinkBacklog(into, c, 0), lowPriority: true);
            target.MaybeRepair(into);
        }
        finally
        {
            target._gate.Exit();
        }
    }

    /// <summary>
    /// With writers and compaction held: copies the keys written since the last catch-up, then takes
    /// <paramref name="target"/>'s state and options as this index's own.
    /// </summary>
    internal void AdoptRebuilt(VectorIndex target, RebuildCapture capture, Action<int> caughtUp)
    {
        lock (_compactLock)
        {
            _gate.Close();
            try
            {
                var last = capture.TakeAll();
                if (last.Length > 0)
                {
                    CopyInto(target, last, 1);
                    caughtUp(last.Length);
                }

                // The target is never written again: its gate stays closed and its linker stopped.
                IndexState fresh;
                lock (target._compactLock)
                {
                    fresh = target.CloseGateAllLinked();
                }

                _options = fresh.Options;
                Volatile.Write(ref _repairedAt, Volatile.Read(ref target._repairedAt));
                Volatile.Write(ref _state, fresh);
                Interlocked.Increment(ref _version);
                EndCapture(capture);
            }
            finally
            {
                _gate.Open();
            }
        }

        // No compaction here: the caller may hold its own writers back; the next write compacts if tombstones call for it.
        StartLinker();
    }
}
