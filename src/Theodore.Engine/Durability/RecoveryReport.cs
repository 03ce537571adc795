namespace Theodore.Engine.Durability;

/// <summary>What opening a data directory found and repaired, for the startup log.</summary>
public sealed record RecoveryReport
{
    /// <summary>Leftover <c>*.tmp</c> and <c>*.deleted</c> files that were removed.</summary>
    public required IReadOnlyList<string> RemovedLeftovers { get; init; }

    /// <summary>Snapshot files that <c>CURRENT</c> does not name (an interrupted or superseded checkpoint), removed.</summary>
    public required IReadOnlyList<string> RemovedStaleSnapshots { get; init; }

    /// <summary>The snapshot recovery started from, or null when there was none.</summary>
    public string? SnapshotFile { get; init; }

    public required long CheckpointLsn { get; init; }

    public required WalRecoveryResult Wal { get; init; }
}
