using System.Net;
using System.Text.Json;
using NSubstitute;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Api.Tests.Hosting;

public sealed class HostTests
{
    [Fact]
    public async Task Health_ready_reports_the_storage_backend()
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Equal("mock", body.GetProperty("checks").GetProperty("storage").GetProperty("data").GetProperty("system").GetString());
    }

    [Fact]
    public async Task Health_ready_is_503_with_the_reason_when_the_backend_is_unhealthy()
    {
        var storage = Substitute.For<IVectorStorage>();
        storage.CheckHealthAsync(Arg.Any<CancellationToken>()).Returns(new StorageHealth(HealthStatus.Unhealthy, "theodore", "write-ahead log fsync failed: disk error"));
        using var factory = new TheodoreApiFactory().WithStorage(storage);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("fsync failed", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ready_stays_200_when_the_backend_is_degraded()
    {
        using var factory = new TheodoreApiFactory(new Dictionary<string, string?> { ["VectorStorage:Mock:ErrorRate"] = "0.5" });
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Degraded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transient_backend_errors_are_503_storage_unavailable()
    {
        using var factory = new TheodoreApiFactory(new Dictionary<string, string?> { ["VectorStorage:Mock:ErrorRate"] = "1" });
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/v1/indexes", UriKind.Relative));

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "storage_unavailable");
    }

    [Fact]
    public void Unknown_provider_fails_at_start_naming_the_known_ones()
    {
        using var factory = new TheodoreApiFactory(new Dictionary<string, string?> { ["VectorStorage:Provider"] = "Cassandra" });

        var error = Assert.ThrowsAny<InvalidOperationException>(() => factory.CreateClient());

        Assert.Contains("Cassandra", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mock", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenApi_document_describes_every_v1_endpoint_with_schemas()
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative))).RootElement;
        var paths = document.GetProperty("paths");

        string[] expected =
        [
            "/v1/indexes", "/v1/indexes/{index}", "/v1/indexes/{index}/stats", "/v1/indexes/{index}/vectors/upsert",
            "/v1/indexes/{index}/vectors/{id}", "/v1/indexes/{index}/vectors/fetch", "/v1/indexes/{index}/vectors/delete",
            "/v1/indexes/{index}/vectors", "/v1/indexes/{index}/query",
        ];
        foreach (var path in expected)
        {
            Assert.True(paths.TryGetProperty(path, out var item), $"missing {path}");
            foreach (var operation in item.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete"))
            {
                var responses = operation.Value.GetProperty("responses");
                Assert.True(responses.EnumerateObject().Any(), $"{operation.Name} {path} documents no responses");
                if (operation.Name is "post" or "put")
                {
                    Assert.True(operation.Value.TryGetProperty("requestBody", out _), $"{operation.Name} {path} documents no request body");
                }
            }
        }

        Assert.True(document.GetProperty("components").GetProperty("schemas").EnumerateObject().Count() >= 5);
    }

    [Fact]
    public async Task Browsable_api_page_is_served()
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();

        var page = await client.GetStringAsync(new Uri("/docs/index.html", UriKind.Relative));

        Assert.Contains("swagger", page, StringComparison.OrdinalIgnoreCase);
    }
}
