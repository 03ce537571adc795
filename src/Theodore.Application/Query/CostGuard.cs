using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Query;

/// <summary>
/// <c>maxCost</c>: the query is estimated first and refused, before any search runs, when its estimated distance
/// computations are over the bound. A backend that cannot estimate refuses <c>maxCost</c> (unsupported operation)
/// rather than ignore it.
/// </summary>
internal static class CostGuard
{
    public static async ValueTask ThrowIfTooCostlyAsync(IVectorStorage storage, IndexName index, SearchOptions options, long? maxCost, bool byId, CancellationToken cancellationToken)
    {
        if (maxCost is not { } bound)
        {
            return;
        }

        var estimator = storage.GetService<IQueryEstimatingStorage>()
            ?? throw new UnsupportedOperationException($"The '{storage.Capabilities.SystemName}' backend cannot estimate a query's cost, so it cannot honour maxCost.");
        var estimate = await estimator.EstimateSearchAsync(index, options, byId, cancellationToken).ConfigureAwait(false);
        if (estimate.DistanceComputations > bound)
        {
            throw new QueryTooCostlyException(
                $"The query is estimated at {estimate.DistanceComputations} distance computations ({estimate.Plan}), over its maxCost of {bound}; nothing was run.")
            {
                EstimatedCost = estimate.DistanceComputations,
                MaxCost = bound,
                Index = index.Value,
            };
        }
    }
}
