using Theodore.Application.Query;

namespace Theodore.Api.Contracts;

/// <summary>One problem of an estimated query.</summary>
public sealed record QueryEstimateError(string Path, string Code, string Message);

/// <summary>
/// Body of <c>POST /v1/indexes/{index}/query/estimate</c>. Plan: <c>graphWalk</c>, <c>exactScan</c> or
/// <c>graphWalkAndExactScan</c>; costs in distance computations; <c>estimatedDurationMs</c> null until searches were measured.
/// </summary>
public sealed record QueryEstimateResponse(
    bool Valid,
    IReadOnlyList<QueryEstimateError> Errors,
    string? Plan,
    long? EstimatedDistanceComputations,
    long? EstimatedVisitedNodes,
    bool? Approximate,
    double? EstimatedDurationMs,
    long? EstimatedMatches,
    long? Records,
    int? Ef,
    int? ExactFilterThreshold,
    long? MaxCost,
    bool? WithinMaxCost,
    IReadOnlyList<string> Recommendations)
{
    public static QueryEstimateResponse From(QueryEstimateResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var e = result.Estimate;
        return new QueryEstimateResponse(
            result.Valid,
            [.. result.Errors.Select(x => new QueryEstimateError(x.Path, x.Code, x.Message))],
            e is null ? null : char.ToLowerInvariant(e.Plan.ToString()[0]) + e.Plan.ToString()[1..],
            e?.DistanceComputations,
            e?.VisitedNodes,
            e?.Approximate,
            e?.EstimatedDuration?.TotalMilliseconds,
            e?.EstimatedMatches,
            e?.Records,
            e?.Ef,
            e?.ExactFilterThreshold,
            result.MaxCost,
            e is null || result.MaxCost is null ? null : e.DistanceComputations <= result.MaxCost,
            result.Recommendations);
    }
}
