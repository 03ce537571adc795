namespace Theodore.Engine;

/// <summary>How a search will find its answer.</summary>
public enum SearchPlanKind
{
    /// <summary>An HNSW walk (approximate).</summary>
    GraphWalk,

    /// <summary>An exact scan of every record, or of the filter's candidates when the postings list them.</summary>
    ExactScan,

    /// <summary>An HNSW walk plus an exact scan of the records stored but not linked into the graph yet.</summary>
    GraphWalkAndExactScan,
}

/// <summary>
/// What a search would cost, predicted from the index's own statistics before running it
/// (<see cref="VectorIndex.EstimateSearch"/>). Every visited node is measured once, so visited nodes equal distance
/// computations. <see cref="Duration"/> is null until searches have been measured on this index.
/// </summary>
public sealed record SearchEstimate
{
    public required SearchPlanKind Plan { get; init; }

    public required long DistanceComputations { get; init; }

    public long VisitedNodes => DistanceComputations;

    public required bool Approximate { get; init; }

    public required TimeSpan? Duration { get; init; }

    /// <summary>Records the filter is estimated to pass (the live count without a filter).</summary>
    public required double EstimatedMatches { get; init; }

    public required int LiveRecords { get; init; }

    /// <summary>Records stored but not linked yet (scanned exactly by a graph walk's plan).</summary>
    public required int UnlinkedRecords { get; init; }

    /// <summary>The beam width the walk would use: max(ef, k).</summary>
    public required int Ef { get; init; }

    /// <summary>The highest HNSW layer.</summary>
    public required int TopLevel { get; init; }

    /// <summary>Below this many estimated matches a filtered search scans exactly.</summary>
    public required int ExactFilterThreshold { get; init; }

    /// <summary>True when the walk's cost comes from searches measured on this index, false for the prior model.</summary>
    public required bool FromMeasuredSearches { get; init; }
}

/// <summary>Counters of the searches an index has run (<see cref="VectorIndex.SearchStatistics"/>).</summary>
/// <param name="Searches">Searches run.</param>
/// <param name="DistanceComputations">Distances measured by them in all.</param>
/// <param name="WalkDistancesPerEf">Moving average of distances measured per unit of beam width by unfiltered walks; null before the first.</param>
/// <param name="FilteredWalkDistancesPerEf">The same for filtered walks, scaled by the filter's estimated share of records.</param>
/// <param name="NanosecondsPerDistance">Moving average of a search's duration per distance measured.</param>
public sealed record SearchStatistics(
    long Searches,
    long DistanceComputations,
    double? WalkDistancesPerEf,
    double? FilteredWalkDistancesPerEf,
    double? NanosecondsPerDistance);
