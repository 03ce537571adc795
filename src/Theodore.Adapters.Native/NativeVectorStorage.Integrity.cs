using System.Diagnostics;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native;

public sealed partial class NativeVectorStorage : IIntegrityCheckedStorage
{
    /// <summary>
    /// Runs the engine's integrity check on every namespace of the index (ids, vectors, metadata postings, graph
    /// invariants, layer-0 reachability). Searches continue meanwhile; writes to a namespace wait while it is checked.
    /// </summary>
    public ValueTask<IntegrityReport> CheckIntegrityAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        var stored = Find(index, "CheckIntegrity");
        var started = Stopwatch.GetTimestamp();
        var problems = new List<IntegrityProblem>();
        long records = 0;
        long unreachable = 0;
        foreach (var (ns, shard) in stored.Shards.OrderBy(s => s.Key.Value, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var report = shard.Engine.CheckIntegrity();
            records += report.LiveRecords;
            unreachable += report.UnreachableCount;
            var where = ns.IsDefault ? "default namespace" : $"namespace '{ns.Value}'";
            foreach (var problem in report.Problems)
            {
                var examples = problem.Examples.Count == 0 ? string.Empty : $" (e.g. {string.Join("; ", problem.Examples)})";
                problems.Add(new IntegrityProblem(problem.Check, $"{where}: {problem.Description}{examples}", problem.Count));
            }
        }

        return ValueTask.FromResult(new IntegrityReport(index, records, unreachable, problems, Stopwatch.GetElapsedTime(started)));
    }
}
