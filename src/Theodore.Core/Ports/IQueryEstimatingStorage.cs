using Theodore.Core.Domain;

namespace Theodore.Core.Ports;

/// <summary>
/// A backend that can predict a query's plan and cost before running it (Theodore's engine; the Mock, whose plan is
/// always an exact scan). Remote backends do not: their planners are not visible, so they refuse estimates and
/// <c>maxCost</c> rather than guess. Reached with <see cref="IVectorStorage.GetService"/>.
/// </summary>
public interface IQueryEstimatingStorage
{
    /// <summary>
    /// The plan and cost of a search with <paramref name="options"/> (by a stored record when <paramref name="byId"/>,
    /// which searches for one more). The cost does not depend on the query vector, only on the index's statistics.
    /// </summary>
    ValueTask<QueryEstimate> EstimateSearchAsync(IndexName index, SearchOptions options, bool byId, CancellationToken cancellationToken = default);
}
