using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Theodore.Api.Tests.Hosting;

/// <summary>
/// The host as a new user starts it: no provider configured, so the native engine serves, durably. Only the data
/// directory is moved to a temporary one, so runs never see each other's data.
/// </summary>
public sealed class DefaultProviderTests : IDisposable
{
    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "theodore-api-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }

    [Fact]
    public async Task Default_provider_is_the_native_engine_end_to_end()
    {
        using var factory = Host();
        using var client = factory.CreateClient();

        var ready = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health/ready", UriKind.Relative))).RootElement;
        Assert.Equal("theodore", ready.GetProperty("checks").GetProperty("storage").GetProperty("data").GetProperty("system").GetString());

        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/indexes", new { name = "native-e2e", dimension = 3, metric = "euclidean" })).StatusCode);
        var upsert = await client.PostAsJsonAsync("/v1/indexes/native-e2e/vectors/upsert", new
        {
            vectors = new object[]
            {
                new { id = "near", values = new[] { 1f, 0f, 0f }, metadata = new { industry = "fintech" } },
                new { id = "far", values = new[] { 0f, 4f, 0f }, metadata = new { industry = "fintech" } },
                new { id = "other", values = new[] { 1f, 0.1f, 0f }, metadata = new { industry = "banking" } },
            },
        });
        Assert.Equal(HttpStatusCode.OK, upsert.StatusCode);

        var query = await client.PostAsJsonAsync("/v1/indexes/native-e2e/query", new { vector = new[] { 1f, 0f, 0f }, topK = 2, filter = new { industry = "fintech" } });
        var matches = JsonDocument.Parse(await query.Content.ReadAsStringAsync()).RootElement.GetProperty("matches");

        Assert.Equal(["near", "far"], matches.EnumerateArray().Select(m => m.GetProperty("id").GetString()));
        Assert.Equal(1.0, matches[0].GetProperty("score").GetDouble(), 5);
        Assert.Equal(1.0 / (1 + Math.Sqrt(17)), matches[1].GetProperty("score").GetDouble(), 5);
    }

    [Fact]
    public async Task Acknowledged_writes_survive_a_restart_of_the_host_and_the_index_checks_healthy()
    {
        using (var first = Host())
        using (var client = first.CreateClient())
        {
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/indexes", new { name = "restart", dimension = 2, metric = "cosine" })).StatusCode);
            var upsert = await client.PostAsJsonAsync("/v1/indexes/restart/vectors/upsert", new
            {
                vectors = new object[] { new { id = "a", values = new[] { 1f, 0f }, metadata = new { name = "Acme" } }, new { id = "b", values = new[] { 0f, 1f } } },
            });
            Assert.Equal(HttpStatusCode.OK, upsert.StatusCode);
        }

        using var second = Host();
        using var again = second.CreateClient();
        var fetched = JsonDocument.Parse(await (await again.PostAsJsonAsync("/v1/indexes/restart/vectors/fetch", new { ids = new[] { "a", "b" } })).Content.ReadAsStringAsync()).RootElement;
        var integrity = JsonDocument.Parse(await again.GetStringAsync(new Uri("/v1/indexes/restart/integrity", UriKind.Relative))).RootElement;

        Assert.Equal(["a", "b"], fetched.GetProperty("vectors").EnumerateArray().Select(v => v.GetProperty("id").GetString()));
        Assert.Equal("Acme", fetched.GetProperty("vectors")[0].GetProperty("metadata").GetProperty("name").GetString());
        Assert.True(integrity.GetProperty("healthy").GetBoolean());
        Assert.Equal(2, integrity.GetProperty("recordsChecked").GetInt64());
    }

    private TheodoreApiFactory Host() => TheodoreApiFactory.AsShipped(_dataPath);
}
