namespace Theodore.Engine.Durability;

public sealed record DurableStoreOptions
{
    /// <summary>The data directory: <c>LOCK</c>, <c>CURRENT</c>, <c>snapshot-&lt;lsn&gt;.bin</c> and the <c>wal</c> folder.</summary>
    public required string DataDirectory { get; init; }

    public DurabilityMode Mode { get; init; } = DurabilityMode.Sync;

    /// <summary>How often <see cref="DurabilityMode.Batched"/> flushes the log: the window a power loss can lose.</summary>
    public TimeSpan BatchInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    public long SegmentSize { get; init; } = 32L * 1024 * 1024;

    public int MaxRecordLength { get; init; } = WriteAheadLogOptions.DefaultMaxRecordLength;
}
