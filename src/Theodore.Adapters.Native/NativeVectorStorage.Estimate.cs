using Theodore.Core.Domain;
using Theodore.Core.Ports;
using Theodore.Engine;

namespace Theodore.Adapters.Native;

public sealed partial class NativeVectorStorage : IQueryEstimatingStorage
{
    /// <summary>
    /// The engine's estimate for the namespace's shard, with the same engine arguments a search would get
    /// (<see cref="PlanSearch"/>), so the plan is the one the search's planner takes. A namespace with no records costs
    /// nothing.
    /// </summary>
    public ValueTask<QueryEstimate> EstimateSearchAsync(IndexName index, SearchOptions options, bool byId, CancellationToken cancellationToken = default) =>
        Run("EstimateSearch", index, () =>
        {
            ArgumentNullException.ThrowIfNull(options);
            var stored = Find(index, "EstimateSearch");
            var filter = TranslateFilter(options.Filter);
            if (stored.Find(options.Namespace) is not { } shard)
            {
                return new QueryEstimate
                {
                    Plan = QueryPlan.ExactScan,
                    DistanceComputations = 0,
                    VisitedNodes = 0,
                    Approximate = false,
                    EstimatedDuration = TimeSpan.Zero,
                    EstimatedMatches = 0,
                    Records = 0,
                };
            }

            var engine = shard.Engine;
            var (k, ef, exact) = PlanSearch(stored, engine.Count, options, byId);
            var estimate = engine.EstimateSearch(k, ef, exact, filter);
            return new QueryEstimate
            {
                Plan = estimate.Plan switch
                {
                    SearchPlanKind.GraphWalk => QueryPlan.GraphWalk,
                    SearchPlanKind.GraphWalkAndExactScan => QueryPlan.GraphWalkAndExactScan,
                    _ => QueryPlan.ExactScan,
                },
                DistanceComputations = estimate.DistanceComputations,
                VisitedNodes = estimate.VisitedNodes,
                Approximate = estimate.Approximate,
                EstimatedDuration = estimate.Duration,
                EstimatedMatches = (long)Math.Round(estimate.EstimatedMatches),
                Records = estimate.LiveRecords,
                Ef = estimate.Plan == SearchPlanKind.ExactScan ? null : estimate.Ef,
                ExactFilterThreshold = estimate.ExactFilterThreshold,
            };
        }, cancellationToken);
}
