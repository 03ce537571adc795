using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Theodore.Api.Tests.Hosting;

/// <summary>The host as a new user starts it: no provider configured, so the native engine serves.</summary>
public sealed class DefaultProviderTests
{
    [Fact]
    public async Task Default_provider_is_the_native_engine_end_to_end()
    {
        using var factory = new WebApplicationFactory<Program>();
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
}
