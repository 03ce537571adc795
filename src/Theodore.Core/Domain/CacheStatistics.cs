namespace Theodore.Core.Domain;

/// <summary>
/// A search cache's counters: hits, misses, entries held in memory now, invalidations (writes and explicit ones),
/// entries evicted for room and the bytes held.
/// </summary>
public sealed record CacheStatistics(long Hits, long Misses, long Entries, long Invalidations)
{
    public long Evictions { get; init; }

    public long Bytes { get; init; }

    public double HitRatio => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}
