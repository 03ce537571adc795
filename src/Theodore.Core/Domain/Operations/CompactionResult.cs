namespace Theodore.Core.Domain.Operations;

/// <summary>
/// What a compaction removed: soft-deleted records purged for good, expired records deleted, and dead graph slots
/// (tombstones of deleted records) reclaimed, with the memory before and after and how long it took.
/// </summary>
public sealed record CompactionResult(long PurgedSoftDeleted, long PurgedExpired, long ReclaimedTombstones, long MemoryBytesBefore, long MemoryBytesAfter, TimeSpan Duration);
