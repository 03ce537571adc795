using Theodore.Adapters.Native.Persistence;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Engine;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native;

// Online rebuilds (ADR 0017): every namespace's engine builds a new graph in the background while the old one serves;
// the swap holds the index's writer gate: the writes made since the last catch-up are applied, the new options are
// logged (record 10), and only then do the engines swap. Until that record is durable the old graphs and the log are
// the truth, so a crash before it loses nothing and comes back on the old options.
internal sealed partial class NativeIndex
{
    private readonly Lock _rebuildGate = new();
    private RebuildRun? _rebuild;

    /// <summary>The running or last rebuild since the index was opened.</summary>
    public RebuildStatus GetRebuildStatus() => Volatile.Read(ref _rebuild)?.Status() ?? RebuildStatus.NotStarted(CurrentHnsw);

    /// <summary>The running rebuild's work, for tests and the benchmark; null when none ran.</summary>
    internal Task? RebuildTask => Volatile.Read(ref _rebuild)?.Task;

    private HnswOptions CurrentHnsw => new(Options.M, Options.EfConstruction);

    /// <summary>
    /// Starts a rebuild with <paramref name="hnsw"/> (null: the current options, to reclaim deleted records' slots)
    /// unless one runs, whose status is returned instead. <paramref name="reserve"/> reserves the new graphs' memory
    /// (about what the index holds now) for the length of the build, or throws.
    /// </summary>
    public RebuildStatus StartRebuild(HnswOptions? hnsw, Func<long, IDisposable> reserve)
    {
        lock (_rebuildGate)
        {
            if (_rebuild is { IsRunning: true } running)
            {
                return running.Status();
            }

            if (IsDeleted)
            {
                throw new IndexNotFoundException(Definition.Name.Value) { SystemName = NativeConstants.SystemName, Operation = "StartRebuild" };
            }

            var reservation = reserve(MemoryBytes);
            var run = new RebuildRun(hnsw ?? CurrentHnsw, redefine: hnsw is not null, Time.GetUtcNow());
            Volatile.Write(ref _rebuild, run);
            run.Task = Task.Run(() => RunRebuildAsync(run, reservation));
            return run.Status();
        }
    }

    private void CancelRebuild() => Volatile.Read(ref _rebuild)?.Cancel();

    private async Task RunRebuildAsync(RebuildRun run, IDisposable reservation)
    {
        var parts = new Dictionary<VectorIndex, GraphRebuild>(ReferenceEqualityComparer.Instance);
        try
        {
            var target = run.Redefine ? RedefineRecord.WithHnsw(Definition, run.Hnsw) : Definition;
            var engineOptions = NativeMapper.ToEngineOptions(target, options);
            foreach (var shard in _shards.Values)
            {
                parts[shard.Engine] = shard.Engine.BeginRebuild(engineOptions);
            }

            run.Parts = [.. parts.Values];

            // One namespace at a time: each build already takes every core but one.
            foreach (var part in run.Parts)
            {
                await part.BuildAsync(run.Token).ConfigureAwait(false);
            }

            run.Phase = RebuildPhase.CatchingUp;
            if (Journal is null)
            {
                await SwapAsync(run, parts, target, engineOptions).ConfigureAwait(false);
            }
            else
            {
                await Journal.Gate.WaitAsync(run.Token).ConfigureAwait(false);
                try
                {
                    await SwapAsync(run, parts, target, engineOptions).ConfigureAwait(false);
                }
                finally
                {
                    Journal.Gate.Release();
                }

                // The next start then loads the new graphs instead of building them; if this fails the log still
                // holds the new options and the start builds them.
                await CheckpointAfterRebuildAsync().ConfigureAwait(false);
            }

            run.Finish(RebuildPhase.Completed, Time.GetUtcNow(), null);
        }
        catch (Exception ex)
        {
            foreach (var part in parts.Values)
            {
                part.Dispose();
            }

            var reason = ex is OperationCanceledException ? "the rebuild was cancelled: the index was dropped or the storage closed" : $"{ex.GetType().Name}: {ex.Message}";
            run.Finish(RebuildPhase.Failed, Time.GetUtcNow(), reason);
        }
        finally
        {
            reservation.Dispose();
            run.Dispose();
        }
    }

    // Durably, the caller holds the writer gate: no write is in flight, so the catch-up leaves nothing for the swap.
    // In memory there is no such gate: the new options are published first so namespaces created from now on use
    // them, and each engine's swap applies its last writes under its own writer gate.
    private async Task SwapAsync(RebuildRun run, Dictionary<VectorIndex, GraphRebuild> parts, IndexDefinition target, VectorIndexOptions engineOptions)
    {
        if (IsDeleted)
        {
            throw new OperationCanceledException("the index was dropped");
        }

        if (Journal is null)
        {
            Publish(target, engineOptions);
        }

        foreach (var part in parts.Values)
        {
            part.CatchUp();
        }

        // A namespace created during the build holds only writes made meanwhile: built now, under the gate.
        foreach (var shard in _shards.Values)
        {
            if (!parts.ContainsKey(shard.Engine) && shard.Engine.Options != engineOptions)
            {
                var late = shard.Engine.BeginRebuild(engineOptions);
                parts[shard.Engine] = late;
                run.Parts = [.. parts.Values];
                await late.BuildAsync(run.Token).ConfigureAwait(false);
            }
        }

        if (Journal is not null && run.Redefine)
        {
            // The commit point: once this is durable the index is the new definition, before it the old one.
            await Journal.AppendAsync(RedefineRecord.Type, RedefineRecord.Encode(target, Time.GetUtcNow()), Definition.Name.Value, "Rebuild").ConfigureAwait(false);
        }

        foreach (var part in parts.Values)
        {
            part.Complete();
        }

        Publish(target, engineOptions);
    }

    // Under the creation lock: a namespace created before it is in the shards when the lock is released, one created
    // after it gets the new options.
    private void Publish(IndexDefinition target, VectorIndexOptions engineOptions)
    {
        lock (_createGate)
        {
            Definition = target;
            Options = engineOptions;
        }
    }

    private async Task CheckpointAfterRebuildAsync()
    {
        try
        {
            await CheckpointAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or DurabilityException or ObjectDisposedException)
        {
            // Not a failed rebuild: the redefinition is in the log, and the next start builds the graphs from it.
        }
    }

    /// <summary>One rebuild: what it builds with, its phase and its engines' progress.</summary>
    private sealed class RebuildRun(HnswOptions hnsw, bool redefine, DateTimeOffset startedAt) : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new();
        private volatile string? _error;
        private DateTimeOffset? _finishedAt;
        private volatile int _phase = (int)RebuildPhase.Building;

        public HnswOptions Hnsw { get; } = hnsw;

        /// <summary>False for a rebuild with the current options: nothing durable changes, so nothing is logged.</summary>
        public bool Redefine { get; } = redefine;

        public volatile GraphRebuild[] Parts = [];

        public Task Task { get; set; } = Task.CompletedTask;

        public CancellationToken Token => _cancel.Token;

        public RebuildPhase Phase
        {
            get => (RebuildPhase)_phase;
            set => _phase = (int)value;
        }

        public bool IsRunning => Phase is RebuildPhase.Building or RebuildPhase.CatchingUp;

        public void Cancel()
        {
            try
            {
                _cancel.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Finished meanwhile.
            }
        }

        public void Dispose() => _cancel.Dispose();

        public void Finish(RebuildPhase phase, DateTimeOffset at, string? error)
        {
            _error = error;
            lock (_cancel)
            {
                _finishedAt = at;
            }

            Phase = phase;
        }

        public RebuildStatus Status()
        {
            long done = 0, total = 0;
            foreach (var part in Parts)
            {
                done += part.RecordsDone;
                total += part.RecordsTotal;
            }

            DateTimeOffset? finished;
            lock (_cancel)
            {
                finished = _finishedAt;
            }

            return new RebuildStatus(Phase, Hnsw, done, total, startedAt, finished, _error);
        }
    }
}
