using Microsoft.Extensions.Caching.Memory;

namespace Theodore.Infrastructure.Decorators.Caching;

/// <summary>The cache's in-memory level, counting the entries it drops for room (capacity) and for age (expiry).</summary>
internal sealed class CountingMemoryCache(MemoryCache inner) : IMemoryCache
{
    private long _evictions;
    private long _expirations;

    public long Evictions => Interlocked.Read(ref _evictions);

    public long Expirations => Interlocked.Read(ref _expirations);

    public MemoryCacheStatistics? GetCurrentStatistics() => inner.GetCurrentStatistics();

    public void Compact(double percentage) => inner.Compact(percentage);

    public ICacheEntry CreateEntry(object key) =>
        inner.CreateEntry(key).RegisterPostEvictionCallback(static (_, _, reason, state) =>
        {
            var self = (CountingMemoryCache)state!;
            if (reason == EvictionReason.Capacity)
            {
                Interlocked.Increment(ref self._evictions);
            }
            else if (reason == EvictionReason.Expired)
            {
                Interlocked.Increment(ref self._expirations);
            }
        }, this);

    public void Remove(object key) => inner.Remove(key);

    public bool TryGetValue(object key, out object? value) => inner.TryGetValue(key, out value);

    public void Dispose() => inner.Dispose();
}
