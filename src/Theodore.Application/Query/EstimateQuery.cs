using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Query;

/// <summary>
/// A query's plan and cost without running it. The body is parsed by the same rules as the query itself; an invalid
/// query is not an error here but an answer: <see cref="QueryEstimateResult.Valid"/> false with every problem.
/// </summary>
public sealed record EstimateQuery(string? Index, float[]? Vector, string? Id, QueryOptions Options) : IRequest<QueryEstimateResult>;

/// <summary>The estimate (null when the query is invalid), the query's problems, and recommendations.</summary>
public sealed record QueryEstimateResult(bool Valid, IReadOnlyList<RequestError> Errors, QueryEstimate? Estimate, IReadOnlyList<string> Recommendations, long? MaxCost);

public sealed class EstimateQueryHandler(IVectorStorage storage) : IRequestHandler<EstimateQuery, QueryEstimateResult>
{
    public async Task<QueryEstimateResult> Handle(EstimateQuery request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var estimator = storage.GetRequiredService<IQueryEstimatingStorage>();
        var parser = new RequestParser();
        var index = parser.Index(request.Index);
        if (request is { Vector: not null, Id: not null })
        {
            parser.Add("id", "give either vector or id, not both");
        }
        else if (request.Id is not null)
        {
            parser.Id(request.Id);
        }
        else
        {
            parser.Values(request.Vector, "vector");
        }

        var options = QueryOptionsRules.Parse(parser, request.Options);
        if (parser.HasErrors)
        {
            return new QueryEstimateResult(false, parser.Errors, null, [], request.Options.MaxCost);
        }

        QueryEstimate estimate;
        try
        {
            estimate = await estimator.EstimateSearchAsync(index, options, byId: request.Id is not null, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidRequestException e)
        {
            // A filter the backend refuses is a problem of the query, listed like the others.
            return new QueryEstimateResult(false, e.Errors, null, [], request.Options.MaxCost);
        }

        return new QueryEstimateResult(true, [], estimate, Recommend(estimate, options, request.Options.MaxCost), request.Options.MaxCost);
    }

    /// <summary>A few rules of thumb from the plan and the statistics.</summary>
    internal static IReadOnlyList<string> Recommend(QueryEstimate estimate, SearchOptions options, long? maxCost)
    {
        var advice = new List<string>();
        if (estimate.Records == 0)
        {
            advice.Add("The namespace holds no records: the query returns nothing.");
            return advice;
        }

        if (estimate.Plan == QueryPlan.ExactScan && options.Filter is not null && estimate.EstimatedMatches < estimate.Records)
        {
            advice.Add($"The filter is selective (about {estimate.EstimatedMatches} of {estimate.Records} records): the exact scan of that subset is cheap and its result is exact.");
        }

        if (options.Exact && estimate.Records > 10_000 && options.Filter is null)
        {
            advice.Add($"exact scans all {estimate.Records} records; without it a graph walk measures far fewer distances at a small loss of recall.");
        }

        if (estimate.Ef is { } ef && options.Ef is { } asked && asked > 4 * Math.Max(options.TopK + options.Offset, 10))
        {
            advice.Add($"ef {asked} is far wider than topK + offset needs; the cost grows with ef, so a smaller ef (e.g. {Math.Max(2 * (options.TopK + options.Offset), 64)}) is cheaper.");
        }

        if (estimate.Ef is { } width && options.TopK + options.Offset >= width && options.Ef is not null)
        {
            advice.Add("topK + offset is not below ef: the walk's beam is as narrow as the answer, so recall drops; raise ef above topK + offset.");
        }

        if (estimate.Plan == QueryPlan.GraphWalkAndExactScan)
        {
            advice.Add("Records not linked into the graph yet are scanned exactly; the cost drops once the linker catches up.");
        }

        if (maxCost is { } bound && estimate.DistanceComputations > bound)
        {
            advice.Add($"The estimate ({estimate.DistanceComputations}) is over maxCost ({bound}): the query would be refused with 422 query_too_costly.");
        }

        return advice;
    }
}
