namespace Theodore.Engine.Durability;

/// <summary>What a scan of the log found; the last segment's chain state lets the log continue appending to it.</summary>
public sealed record WalRecoveryResult
{
    public required IReadOnlyList<WalSegmentInfo> Segments { get; init; }

    /// <summary>The LSN the next appended record gets; 0 when there are no segments.</summary>
    public required long NextLsn { get; init; }

    public required long RecordsRead { get; init; }

    public required long RecordsReplayed { get; init; }

    /// <summary>The last segment whose torn tail was cut off, or null when the log ended cleanly.</summary>
    public string? TornTailFile { get; init; }

    public long TornTailBytes { get; init; }

    public string? TornTailReason { get; init; }

    internal uint LastSegmentSalt { get; init; }

    internal uint LastSegmentChain { get; init; }

    internal long LastSegmentEnd { get; init; }
}
