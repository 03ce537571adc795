namespace Theodore.Core.Domain;

/// <summary>
/// What an integrity check of one index found. <see cref="IsHealthy"/> is true when there are no problems; nodes the
/// graph cannot reach are counted (they lower recall but lose no data) and reported as a problem when non-zero.
/// </summary>
public sealed record IntegrityReport(IndexName Index, long RecordsChecked, long UnreachableRecords, IReadOnlyList<IntegrityProblem> Problems, TimeSpan Took)
{
    public bool IsHealthy => Problems.Count == 0;
}
