using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native;

// Online rebuilds of an index's graphs (ADR 0017); the work is in NativeIndex.Rebuild.cs.
public sealed partial class NativeVectorStorage : IOnlineRebuildStorage
{
    /// <summary>
    /// Starts rebuilding every namespace's graph with <paramref name="hnsw"/> (null: the current options, which drops
    /// deleted records' slots) and returns at once; reads and writes go on meanwhile. The new graphs' memory (about
    /// what the index holds now) is reserved against the memory budget for the length of the build, so a rebuild that
    /// would pass it is refused with <see cref="Core.Errors.CapacityExceededException"/>.
    /// </summary>
    public ValueTask<RebuildStatus> StartRebuildAsync(IndexName index, HnswOptions? hnsw, CancellationToken cancellationToken = default) =>
        Run("StartRebuild", index, () =>
        {
            var stored = Find(index, "StartRebuild");
            return stored.StartRebuild(hnsw, bytes => _budget.Reserve(bytes, index.Value, "StartRebuild", (int)Math.Min(int.MaxValue, stored.Count)));
        }, cancellationToken);

    public ValueTask<RebuildStatus> GetRebuildStatusAsync(IndexName index, CancellationToken cancellationToken = default) =>
        Run("GetRebuildStatus", index, () => Find(index, "GetRebuildStatus").GetRebuildStatus(), cancellationToken);

    /// <summary>Waits for the index's running rebuild, if any (tests and the benchmark).</summary>
    internal Task WaitForRebuildAsync(IndexName index) =>
        _indexes.TryGetValue(index.Value, out var stored) ? stored.RebuildTask ?? Task.CompletedTask : Task.CompletedTask;
}
