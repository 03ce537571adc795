namespace Theodore.Core.Domain;

public sealed record CacheStatistics(long Hits, long Misses, long Entries, long Invalidations)
{
    public double HitRatio => Hits + Misses == 0 ? 0 : (double)Hits / (Hits + Misses);
}
