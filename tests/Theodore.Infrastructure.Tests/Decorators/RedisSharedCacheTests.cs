using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using Theodore.Core.Domain;
using Theodore.Infrastructure.Decorators.Caching;
using Xunit.Abstractions;

namespace Theodore.Infrastructure.Tests.Decorators;

public sealed class RedisSharedCacheTests(RedisServer redis, ITestOutputHelper output) : IClassFixture<RedisServer>
{
    private static readonly IndexName Index = IndexName.Parse("shared");
    private static readonly float[] Query = [1, 0, 0, 0];

    [RedisFact]
    public async Task Two_instances_share_results_through_redis_and_a_write_through_one_invalidates_the_other()
    {
        var backend = await TestStorage.MockWithIndexAsync(Index.Value);
        await backend.UpsertAsync(Index, TestStorage.Record("a", 1, 0, 0, 0));
        backend.ClearCalls();
        var options = new CachingOptions { Redis = redis.Configuration, RedisInstanceName = "test-" + Guid.NewGuid().ToString("N") + ":" };
        using var loggers = new TestOutputLoggerFactory(output);
        using var cacheA = new SearchCache(options, loggers: loggers);
        using var cacheB = new SearchCache(options, loggers: loggers);
        var instanceA = new CachingVectorStorage(backend, cacheA);
        var instanceB = new CachingVectorStorage(backend, cacheB);

        await instanceA.SearchAsync(Index, Query, new SearchOptions());
        await redis.WaitForKeyAsync(options.RedisInstanceName + "search:*");
        var fromRedis = await instanceB.SearchAsync(Index, Query, new SearchOptions());

        Assert.Equal(1, CachingVectorStorageTests.Searches(backend));
        Assert.Equal(1, instanceB.GetStatistics().Hits);
        Assert.Equal("a", Assert.Single(fromRedis.Matches).Id.Value);

        await instanceA.UpsertAsync(Index, TestStorage.Record("b", 1, 0.1f, 0, 0));
        var afterWrite = await instanceB.SearchAsync(Index, Query, new SearchOptions());

        Assert.Equal(2, CachingVectorStorageTests.Searches(backend));
        Assert.Equal(["a", "b"], afterWrite.Matches.Select(m => m.Id.Value).ToArray());
        Assert.Equal((1L, 1L), (instanceB.GetStatistics().Hits, instanceB.GetStatistics().Misses));
    }

    [RedisFact]
    public async Task A_redis_call_past_its_timeout_is_a_miss_the_backend_answers_and_the_log_names()
    {
        var backend = await TestStorage.MockWithIndexAsync(Index.Value);
        await backend.UpsertAsync(Index, TestStorage.Record("a", 1, 0, 0, 0));
        backend.ClearCalls();
        var options = new CachingOptions { Redis = redis.Address + ",syncTimeout=300,asyncTimeout=300", RedisInstanceName = "test-" + Guid.NewGuid().ToString("N") + ":" };
        using var loggers = new TestOutputLoggerFactory(output);
        using var cache = new SearchCache(options, loggers: loggers);
        var storage = new CachingVectorStorage(backend, cache);
        await storage.SearchAsync(Index, Query, new SearchOptions());
        await redis.WaitForKeyAsync(options.RedisInstanceName + "search:*");

        SearchResult stalled;
        using (redis.Pause())
        {
            stalled = await storage.SearchAsync(Index, Query, new SearchOptions());
        }

        var resumed = await storage.SearchAsync(Index, Query, new SearchOptions());

        Assert.Equal("a", Assert.Single(stalled.Matches).Id.Value);
        Assert.Equal("a", Assert.Single(resumed.Matches).Id.Value);
        Assert.Equal(2, CachingVectorStorageTests.Searches(backend));
        Assert.Equal((1L, 2L), (storage.GetStatistics().Hits, storage.GetStatistics().Misses));
        Assert.Contains(loggers.Entries, e => e.Level == LogLevel.Warning && e.Category == typeof(CachingVectorStorage).FullName && e.Exception is RedisTimeoutException);
    }

    [RedisFact]
    public async Task Generation_lost_from_redis_is_replaced_by_a_fresh_one_and_never_revives_old_entries()
    {
        var backend = await TestStorage.MockWithIndexAsync(Index.Value);
        await backend.UpsertAsync(Index, TestStorage.Record("a", 1, 0, 0, 0));
        backend.ClearCalls();
        var options = new CachingOptions { Redis = redis.Configuration, RedisInstanceName = "test-" + Guid.NewGuid().ToString("N") + ":" };
        using var loggers = new TestOutputLoggerFactory(output);
        using var cache = new SearchCache(options, loggers: loggers);
        var storage = new CachingVectorStorage(backend, cache);

        await storage.SearchAsync(Index, Query, new SearchOptions());
        await cache.Distributed!.RemoveAsync("generation:" + Index.Value);
        await backend.UpsertAsync(Index, TestStorage.Record("b", 1, 0.1f, 0, 0));
        var after = await storage.SearchAsync(Index, Query, new SearchOptions());

        Assert.Equal(2, CachingVectorStorageTests.Searches(backend));
        Assert.Equal(2, after.Matches.Count);
    }
}
