using System.ComponentModel.DataAnnotations;

namespace Theodore.Infrastructure.Decorators.Caching;

/// <summary>
/// <c>VectorStorage:Decorators:Caching</c>: search results in HybridCache, in memory and, with <see cref="Redis"/>,
/// in Redis shared by every API instance in front of one backend.
/// </summary>
public sealed class CachingOptions
{
    public const string SectionName = DecoratorDefaults.SectionPrefix + DecoratorDefaults.Caching;

    /// <summary>On or off; unset means off for every provider (<see cref="DecoratorDefaults"/>).</summary>
    public bool? Enabled { get; set; }

    /// <summary>How long a result lives in Redis (and in memory unless <see cref="LocalTtl"/> is shorter).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a result lives in this process's memory; at most <see cref="Ttl"/>. Unset means <see cref="Ttl"/>.</summary>
    public TimeSpan? LocalTtl { get; set; }

    /// <summary>The in-memory level's bound: serialized bytes of all entries together. Past it, entries are evicted.</summary>
    [Range(1024L, long.MaxValue)]
    public long MaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>A result larger than this when serialized (a top-10,000 with values, say) is not cached.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxEntryBytes { get; set; } = 1024 * 1024;

    /// <summary>A StackExchange.Redis configuration string (e.g. <c>localhost:6379</c>); set, Redis is the shared second level.</summary>
    public string? Redis { get; set; }

    /// <summary>Prefix of every Redis key, so several deployments can share one server.</summary>
    public string RedisInstanceName { get; set; } = "theodore:";
}
