using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Theodore.Infrastructure.Decorators.Caching;

/// <summary>
/// The cache's own HybridCache: its own bounded memory level (so the size bound and the statistics are the search
/// cache's, not the application's shared <see cref="IMemoryCache"/>), Redis as the second level when configured,
/// and the generations kept where every instance sees them. HybridCache and Redis log through the application's
/// <see cref="ILoggerFactory"/>: a Redis call that fails or times out is a cache miss, and the log says why.
/// </summary>
public sealed class SearchCache : IDisposable
{
    private readonly ServiceProvider _services;
    private readonly CountingMemoryCache _memory;

    public SearchCache(CachingOptions options, TimeProvider? time = null, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        time ??= TimeProvider.System;
        loggers ??= NullLoggerFactory.Instance;
        Logger = loggers.CreateLogger<CachingVectorStorage>();
        var services = new ServiceCollection();
        services.AddSingleton(time);
        services.AddSingleton(loggers);
        services.AddSingleton(typeof(ILogger<>), typeof(Logger<>));
#pragma warning disable CS0618 // MemoryCacheOptions.Clock is how MemoryCache reads time; the adapter lets tests drive TTLs with a fake clock.
        _memory = new CountingMemoryCache(new MemoryCache(new MemoryCacheOptions { SizeLimit = options.MaxBytes, TrackStatistics = true, Clock = new TimeProviderClock(time) }));
#pragma warning restore CS0618
        services.AddSingleton<IMemoryCache>(_memory);
        if (!string.IsNullOrWhiteSpace(options.Redis))
        {
            services.AddStackExchangeRedisCache(redis =>
            {
                redis.Configuration = options.Redis;
                redis.InstanceName = options.RedisInstanceName;
            });
        }

        services.AddHybridCache(hybrid =>
        {
            hybrid.MaximumPayloadBytes = options.MaxEntryBytes;
            hybrid.DefaultEntryOptions = new HybridCacheEntryOptions
            {
                Expiration = options.Ttl,
                LocalCacheExpiration = options.LocalTtl is { } local && local < options.Ttl ? local : options.Ttl,
            };
        }).AddSerializer<CachedSearch, CachedSearchSerializer>();
        _services = services.BuildServiceProvider();

        Cache = _services.GetRequiredService<HybridCache>();
        Distributed = _services.GetService<IDistributedCache>();
        Generations = Distributed is null ? new LocalIndexGenerations() : new DistributedIndexGenerations(Distributed);
    }

    public HybridCache Cache { get; }

    /// <summary>Redis, when it is the second level.</summary>
    public IDistributedCache? Distributed { get; }

    internal IIndexGenerations Generations { get; }

    internal ILogger Logger { get; }

    /// <summary>Entries in this process's memory (superseded generations included until they age out or are evicted).</summary>
    public long Entries => _memory.GetCurrentStatistics()?.CurrentEntryCount ?? 0;

    /// <summary>Bytes the memory level holds now, never above <see cref="CachingOptions.MaxBytes"/>.</summary>
    public long Bytes => _memory.GetCurrentStatistics()?.CurrentEstimatedSize ?? 0;

    public long Evictions => _memory.Evictions;

    public long Expirations => _memory.Expirations;

    /// <summary>Asks the memory level to drop entries it holds past their time now rather than on its next scan.</summary>
    public void Compact() => _memory.Compact(0);

    public void Dispose() => _services.Dispose();

#pragma warning disable CS0618 // see the constructor
    private sealed class TimeProviderClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }
#pragma warning restore CS0618
}
