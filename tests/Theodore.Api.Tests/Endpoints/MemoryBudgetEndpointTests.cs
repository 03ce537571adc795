using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Theodore.Api.Tests.Endpoints;

/// <summary>The memory budget through the API on the default engine (in memory), driven to its limit.</summary>
[SuppressMessage("Design", "CA1001", Justification = "xUnit disposes a test class through IAsyncLifetime.")]
public sealed class MemoryBudgetEndpointTests : IAsyncLifetime
{
    // 4-d vectors at M = 16 fill a 4,096-slot chunk of about 1.03 MB: 1.5 MB holds one chunk and refuses a second.
    private const long Budget = 1_500_000;

    private readonly TheodoreApiFactory _factory = new(new Dictionary<string, string?>
    {
        ["VectorStorage:Provider"] = "Native",
        ["VectorStorage:Native:Durability"] = "None",
        ["VectorStorage:Native:MemoryBudgetBytes"] = Budget.ToString(CultureInfo.InvariantCulture),
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _factory.DisposeAsync();

    [Fact]
    public async Task A_write_past_the_budget_answers_507_capacity_exceeded_and_stats_and_health_show_usage_and_budget()
    {
        using var client = _factory.CreateClient();
        await client.CreateIndexAsync("full", dimension: 4, metric: "euclidean");
        for (var batch = 0; batch < 4; batch++)
        {
            await client.UpsertAsync("full", Vectors(batch * 1_000, 1_000));
        }

        var refused = await client.PostJsonAsync("/v1/indexes/full/vectors/upsert", $$"""{"vectors":{{Vectors(4_000, 1_000)}}}""");
        var problem = await refused.AssertProblemAsync(HttpStatusCode.InsufficientStorage, "capacity_exceeded");
        var fetched = await (await client.PostJsonAsync("/v1/indexes/full/vectors/fetch", """{"ids":["v0","v3999","v4000","v4999"]}""")).ReadJsonAsync();
        var query = await (await client.PostJsonAsync("/v1/indexes/full/query", """{"vector":[7,0,1,0],"topK":3}""")).ReadJsonAsync();
        var stats = await (await client.GetAsync("/v1/indexes/full/stats")).ReadJsonAsync();
        var health = await (await client.GetAsync("/health/ready")).ReadJsonAsync();

        Assert.Contains("1,500,000-byte budget", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["v0", "v3999"], Ids(fetched));
        Assert.Equal("v7", query.GetProperty("matches")[0].GetProperty("id").GetString());
        Assert.Equal(4_000, stats.GetProperty("totalVectors").GetInt64());
        var memory = stats.GetProperty("memoryBudget");
        Assert.Equal(Budget, memory.GetProperty("budgetBytes").GetInt64());
        Assert.InRange(memory.GetProperty("usedBytes").GetInt64(), 1_000_000, Budget);
        var storage = health.GetProperty("checks").EnumerateObject().Single(static c => c.Value.GetProperty("data").TryGetProperty("system", out _)).Value.GetProperty("data");
        Assert.Equal(Budget, storage.GetProperty("memoryBudgetBytes").GetInt64());
        Assert.Equal(memory.GetProperty("usedBytes").GetInt64(), storage.GetProperty("memoryBytes").GetInt64());
    }

    private static string Vectors(int from, int count) =>
        "[" + string.Join(',', Enumerable.Range(from, count).Select(static i => string.Create(CultureInfo.InvariantCulture, $$"""{"id":"v{{i}}","values":[{{i}},0,1,0]}"""))) + "]";

    private static List<string?> Ids(JsonElement fetched) =>
        [.. fetched.GetProperty("vectors").EnumerateArray().Select(static v => v.GetProperty("id").GetString()).Order(StringComparer.Ordinal)];
}
