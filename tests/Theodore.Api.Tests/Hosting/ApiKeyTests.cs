using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Theodore.Api.Tests.Hosting;

public sealed class ApiKeyTests : IDisposable
{
    private const string WriterKey = "writer-key-0123456789";
    private const string ReaderKey = "reader-key-0123456789";

    private readonly TheodoreApiFactory _factory = new(new Dictionary<string, string?>
    {
        ["Api:Keys:0:Name"] = "writer",
        ["Api:Keys:0:Key"] = WriterKey,
        ["Api:Keys:1:Name"] = "reader",
        ["Api:Keys:1:Key"] = ReaderKey,
        ["Api:Keys:1:ReadOnly"] = "true",
    });

    public void Dispose() => _factory.Dispose();

    [Fact]
    public async Task Request_without_key_is_401_with_problem_details()
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri("/v1/indexes", UriKind.Relative));

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Api-Key", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Request_with_wrong_key_is_401_and_does_not_echo_the_key()
    {
        using var client = Client("not-a-valid-key-at-all");

        var response = await client.GetAsync(new Uri("/v1/indexes", UriKind.Relative));

        var problem = await response.AssertProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        Assert.DoesNotContain("not-a-valid-key", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writer_key_can_create_and_read()
    {
        using var client = Client(WriterKey);

        var created = await client.PostAsJsonAsync("/v1/indexes", new { name = "keyed", dimension = 2, metric = "cosine" });
        var listed = await client.GetAsync(new Uri("/v1/indexes", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, listed.StatusCode);
    }

    [Fact]
    public async Task Read_only_key_reads_and_queries_but_gets_403_on_write()
    {
        using (var writer = Client(WriterKey))
        {
            Assert.Equal(HttpStatusCode.Created, (await writer.PostAsJsonAsync("/v1/indexes", new { name = "ro", dimension = 2, metric = "euclidean" })).StatusCode);
        }

        using var reader = Client(ReaderKey);

        var read = await reader.GetAsync(new Uri("/v1/indexes/ro", UriKind.Relative));
        var query = await reader.PostAsJsonAsync("/v1/indexes/ro/query", new { vector = new[] { 1f, 0f }, topK = 1 });
        var fetch = await reader.PostAsJsonAsync("/v1/indexes/ro/vectors/fetch", new { ids = new[] { "a" } });
        var write = await reader.PostAsJsonAsync("/v1/indexes/ro/vectors/upsert", new { vectors = new[] { new { id = "a", values = new[] { 1f, 0f } } } });
        var delete = await reader.DeleteAsync(new Uri("/v1/indexes/ro", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal(HttpStatusCode.OK, fetch.StatusCode);
        await write.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await delete.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task Read_only_key_gets_403_on_backups_even_when_only_listing()
    {
        using var reader = Client(ReaderKey);
        using var writer = Client(WriterKey);

        var list = await reader.GetAsync(new Uri("/v1/backups", UriKind.Relative));
        var create = await reader.PostAsJsonAsync("/v1/backups", new { });
        var adminList = await writer.GetAsync(new Uri("/v1/backups", UriKind.Relative));

        await list.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await create.AssertProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await adminList.AssertProblemAsync(HttpStatusCode.NotImplemented, "unsupported_operation");
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    [InlineData("/openapi/v1.json")]
    public async Task Probes_and_api_description_need_no_key(string path)
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Every_v1_endpoint_requires_a_key()
    {
        using var client = _factory.CreateClient();
        var endpoints = _factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/v1", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (Method: m, Path: e.RoutePattern.RawText!)))
            .ToList();

        Assert.True(endpoints.Count >= 13, $"found only {endpoints.Count} endpoints");
        foreach (var (method, path) in endpoints)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path.Replace("{index}", "x", StringComparison.Ordinal).Replace("{id}", "y", StringComparison.Ordinal).Replace("{backup}", "z", StringComparison.Ordinal));
            var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} answered {(int)response.StatusCode} without a key");
        }
    }

    [Theory]
    [InlineData("/health/..%2Fv1/indexes")]
    [InlineData("//v1/indexes")]
    [InlineData("/V1/INDEXES")]
    [InlineData("/health/../v1/indexes")]
    public async Task Path_tricks_do_not_bypass_the_key(string path)
    {
        using var client = _factory.CreateClient();

        var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    private HttpClient Client(string key)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Add("Api-Key", key);
        return client;
    }
}
