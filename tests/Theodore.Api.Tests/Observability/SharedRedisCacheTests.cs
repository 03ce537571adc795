using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Theodore.Adapters.Mock;
using Theodore.Infrastructure.Tests.Decorators;

namespace Theodore.Api.Tests.Observability;

/// <summary>Two API instances with the cache on, sharing one real redis-server, in front of one backend.</summary>
public sealed class SharedRedisCacheTests(RedisServer redis) : IClassFixture<RedisServer>
{
    [RedisFact]
    public async Task Write_through_one_instance_invalidates_what_the_other_cached_and_hits_are_shared()
    {
        var backend = new MockVectorStorage();
        var prefix = "api-" + Guid.NewGuid().ToString("N") + ":";
        using var first = Instance(backend, prefix);
        using var second = Instance(backend, prefix);
        using var one = first.CreateClient();
        using var two = second.CreateClient();
        var query = new Uri("/v1/indexes/shared/query", UriKind.Relative);
        var body = new { vector = new[] { 1f, 0f, 0f }, topK = 10 };

        Assert.Equal(HttpStatusCode.Created, (await one.PostAsJsonAsync(new Uri("/v1/indexes", UriKind.Relative), new { name = "shared", dimension = 3, metric = "cosine" })).StatusCode);
        await Upsert(one, "a", [1f, 0f, 0f]);
        Assert.Equal(["a"], await Ids(one, query, body));
        await redis.WaitForKeyAsync(prefix + "search:*");
        Assert.Equal(["a"], await Ids(two, query, body));
        Assert.Equal(1, backend.Calls.Count(c => c.Operation == "Search"));
        Assert.Equal(1, await CacheHits(two));

        await Upsert(two, "b", [1f, 0.1f, 0f]);

        Assert.Equal(["a", "b"], await Ids(one, query, body));
        Assert.Equal(2, backend.Calls.Count(c => c.Operation == "Search"));
    }

    private WebApplicationFactory<Program> Instance(MockVectorStorage backend, string prefix) =>
        new TheodoreApiFactory(
        [
            new("VectorStorage:Decorators:Caching:Enabled", "true"),
            new("VectorStorage:Decorators:Caching:Redis", redis.Configuration),
            new("VectorStorage:Decorators:Caching:RedisInstanceName", prefix),
        ]).WithWebHostBuilder(b => b.ConfigureServices(services =>
        {
            services.RemoveAll<MockVectorStorage>();
            services.AddSingleton(backend);
        }));

    private static async Task Upsert(HttpClient client, string id, float[] values)
    {
        var response = await client.PutAsJsonAsync(new Uri($"/v1/indexes/shared/vectors/{id}", UriKind.Relative), new { values });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task<string[]> Ids(HttpClient client, Uri query, object body)
    {
        var response = await client.PostAsJsonAsync(query, body);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. json.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("id").GetString()!)];
    }

    private static async Task<long> CacheHits(HttpClient client)
    {
        var health = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health/ready", UriKind.Relative))).RootElement;
        return health.GetProperty("checks").GetProperty("storage").GetProperty("data").GetProperty("cache").GetProperty("hits").GetInt64();
    }
}
