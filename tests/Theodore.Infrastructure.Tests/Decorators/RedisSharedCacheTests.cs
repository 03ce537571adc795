using Theodore.Core.Domain;
using Theodore.Infrastructure.Decorators.Caching;

namespace Theodore.Infrastructure.Tests.Decorators;

public sealed class RedisSharedCacheTests(RedisServer redis) : IClassFixture<RedisServer>
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
        using var cacheA = new SearchCache(options);
        using var cacheB = new SearchCache(options);
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
    public async Task Generation_lost_from_redis_is_replaced_by_a_fresh_one_and_never_revives_old_entries()
    {
        var backend = await TestStorage.MockWithIndexAsync(Index.Value);
        await backend.UpsertAsync(Index, TestStorage.Record("a", 1, 0, 0, 0));
        backend.ClearCalls();
        var options = new CachingOptions { Redis = redis.Configuration, RedisInstanceName = "test-" + Guid.NewGuid().ToString("N") + ":" };
        using var cache = new SearchCache(options);
        var storage = new CachingVectorStorage(backend, cache);

        await storage.SearchAsync(Index, Query, new SearchOptions());
        await cache.Distributed!.RemoveAsync("generation:" + Index.Value);
        await backend.UpsertAsync(Index, TestStorage.Record("b", 1, 0.1f, 0, 0));
        var after = await storage.SearchAsync(Index, Query, new SearchOptions());

        Assert.Equal(2, CachingVectorStorageTests.Searches(backend));
        Assert.Equal(2, after.Matches.Count);
    }
}
