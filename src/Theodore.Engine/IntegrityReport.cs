namespace Theodore.Engine;

/// <summary>
/// The result of <see cref="VectorIndex.CheckIntegrity"/>. <see cref="UnreachableCount"/> live records cannot be
/// reached on layer 0 from the entry point; they are also listed as a "reachability" problem, which
/// <see cref="VectorIndex.RepairGraph"/> fixes, unlike the others.
/// </summary>
public sealed record IntegrityReport(IReadOnlyList<IntegrityProblem> Problems, int Slots, int LiveRecords, int UnreachableCount)
{
    public bool IsHealthy => Problems.Count == 0;

    public IntegrityProblem? Find(string check)
    {
        foreach (var problem in Problems)
        {
            if (string.Equals(problem.Check, check, StringComparison.Ordinal))
            {
                return problem;
            }
        }

        return null;
    }
}
