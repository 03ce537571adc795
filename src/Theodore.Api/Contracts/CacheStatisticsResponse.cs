using Theodore.Core.Domain;

namespace Theodore.Api.Contracts;

/// <summary>The search cache: hits, misses, entries in memory, invalidations, evictions for room, bytes held, hit ratio.</summary>
public sealed record CacheStatisticsResponse(long Hits, long Misses, long Entries, long Invalidations, long Evictions, long Bytes, double HitRatio)
{
    public static CacheStatisticsResponse From(CacheStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return new(statistics.Hits, statistics.Misses, statistics.Entries, statistics.Invalidations, statistics.Evictions, statistics.Bytes, statistics.HitRatio);
    }
}
