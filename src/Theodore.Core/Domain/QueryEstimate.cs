namespace Theodore.Core.Domain;

/// <summary>How a backend will answer a query.</summary>
public enum QueryPlan
{
    /// <summary>An approximate graph walk.</summary>
    GraphWalk,

    /// <summary>An exact scan of every record, or of the filter's matching subset.</summary>
    ExactScan,

    /// <summary>A graph walk plus an exact scan of records not in the graph yet.</summary>
    GraphWalkAndExactScan,
}

/// <summary>
/// What a query would cost, predicted before running it (<see cref="Ports.IQueryEstimatingStorage"/>). The cost unit is
/// the distance computation; <see cref="EstimatedDuration"/> is null until the backend has measured searches.
/// </summary>
public sealed record QueryEstimate
{
    public required QueryPlan Plan { get; init; }

    public required long DistanceComputations { get; init; }

    public required long VisitedNodes { get; init; }

    public required bool Approximate { get; init; }

    public required TimeSpan? EstimatedDuration { get; init; }

    /// <summary>Records the filter is estimated to pass (all records without a filter).</summary>
    public required long EstimatedMatches { get; init; }

    /// <summary>Live records in the searched namespace.</summary>
    public required long Records { get; init; }

    /// <summary>The beam width a walk would use (null for an exact scan).</summary>
    public int? Ef { get; init; }

    /// <summary>Below this many estimated matches a filtered query is scanned exactly (null where it never is).</summary>
    public int? ExactFilterThreshold { get; init; }
}
