namespace Theodore.Core.Domain.Operations;

/// <summary>The phase of an online rebuild.</summary>
public enum RebuildPhase
{
    /// <summary>No rebuild has run since the index was opened.</summary>
    None,

    /// <summary>The new graph is being built from the records as they were when it started.</summary>
    Building,

    /// <summary>The writes made during the build are being applied to the new graph before the swap.</summary>
    CatchingUp,

    /// <summary>The new graph serves reads and writes.</summary>
    Completed,

    Failed,
}

/// <summary>
/// An online rebuild of an index's graph: the HNSW options it builds with, its phase and progress, and when it ran.
/// Reads and writes go on against the old graph until the atomic swap.
/// </summary>
public sealed record RebuildStatus(RebuildPhase Phase, HnswOptions Hnsw, long RecordsDone, long RecordsTotal, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt, string? Error = null)
{
    public static RebuildStatus NotStarted(HnswOptions hnsw) => new(RebuildPhase.None, hnsw, 0, 0, null, null);

    public bool IsRunning => Phase is RebuildPhase.Building or RebuildPhase.CatchingUp;
}
