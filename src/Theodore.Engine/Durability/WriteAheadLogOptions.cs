namespace Theodore.Engine.Durability;

public sealed record WriteAheadLogOptions
{
    public const int DefaultMaxRecordLength = 64 * 1024 * 1024;

    /// <summary>The directory that holds the segment files (the data directory's <c>wal</c> folder).</summary>
    public required string Directory { get; init; }

    public DurabilityMode Mode { get; init; } = DurabilityMode.Sync;

    /// <summary>How often <see cref="DurabilityMode.Batched"/> flushes; the power-loss window of that mode.</summary>
    public TimeSpan BatchInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A segment is closed and a new one started once it reaches this size.</summary>
    public long SegmentSize { get; init; } = 32L * 1024 * 1024;

    /// <summary>Largest payload accepted on append and believed on read, checked before anything is allocated.</summary>
    public int MaxRecordLength { get; init; } = DefaultMaxRecordLength;

    /// <summary>Upper bound of the bytes one group commit writes before it flushes.</summary>
    public int MaxBatchBytes { get; init; } = 4 * 1024 * 1024;
}
