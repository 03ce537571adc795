using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using NSubstitute;
using NSubstitute.ExceptionExtensions;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Api.Tests.Observability;

public sealed class DecoratorEndpointTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly Uri Indexes = new("/v1/indexes", UriKind.Relative);

    [Fact]
    public async Task Metrics_endpoint_serves_the_storage_and_http_metrics_in_prometheus_format()
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();
        var created = await client.PostAsJsonAsync(Indexes, new { name = "scraped", dimension = 3, metric = "cosine" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var query = await client.PostAsJsonAsync(new Uri("/v1/indexes/scraped/query", UriKind.Relative), new { vector = new[] { 1f, 0f, 0f }, topK = 3 });
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        var missing = await client.PostAsJsonAsync(new Uri("/v1/indexes/absent/query", UriKind.Relative), new { vector = new[] { 1f, 0f, 0f }, topK = 3 });
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var scrape = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        var text = await scrape.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.Contains("db_client_operation_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("db_operation_name=\"search\"", text, StringComparison.Ordinal);
        Assert.Contains("db_collection_name=\"scraped\"", text, StringComparison.Ordinal);
        Assert.Contains("theodore_storage_operations_total{", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("theodore_storage_errors_total{", text, StringComparison.Ordinal);
        Assert.Contains("error_type=\"index_not_found\"", text, StringComparison.Ordinal);
        Assert.Contains("db_client_response_returned_rows_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("theodore_storage_vectors{", text, StringComparison.Ordinal);
        output.WriteLine(string.Join('\n', text.Split('\n').Where(l => l.StartsWith("# TYPE", StringComparison.Ordinal) && (l.Contains("theodore", StringComparison.Ordinal) || l.Contains("db_client", StringComparison.Ordinal)))));
    }

    [Fact]
    public async Task Metrics_endpoint_is_off_when_prometheus_is_switched_off()
    {
        using var factory = new TheodoreApiFactory([new("Observability:PrometheusEnabled", "false")]);
        using var client = factory.CreateClient();

        var scrape = await client.GetAsync(new Uri("/metrics", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, scrape.StatusCode);
    }

    [Fact]
    public async Task Open_circuit_is_503_circuit_open_with_Retry_After_and_health_shows_it()
    {
        using var factory = new TheodoreApiFactory(
        [
            new("VectorStorage:Mock:ErrorRate", "1"),
            new("VectorStorage:Decorators:Resilience:Enabled", "true"),
            new("VectorStorage:Decorators:Resilience:MaxRetryAttempts", "0"),
            new("VectorStorage:Decorators:Resilience:MinimumThroughput", "2"),
            new("VectorStorage:Decorators:Resilience:FailureRatio", "0.5"),
            new("VectorStorage:Decorators:Resilience:BreakDuration", "00:10:00"),
        ]);
        using var client = factory.CreateClient();

        // the start's companies check already met the failing storage, so the circuit may open before two requests fail
        var sinceStart = Stopwatch.StartNew();
        HttpResponseMessage open;
        var failed = 0;
        while ((open = await client.GetAsync(Indexes)).Headers.RetryAfter is null)
        {
            await open.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ErrorCodes.StorageUnavailable);
            Assert.True(++failed <= 2, "the circuit opens after at most two failed calls");
        }

        await open.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ErrorCodes.CircuitOpen);
        // the time left of the break, in whole seconds: ten minutes less what has passed since it opened
        var retryAfter = open.Headers.RetryAfter?.Delta ?? TimeSpan.Zero;
        Assert.InRange(retryAfter, TimeSpan.FromMinutes(10) - sinceStart.Elapsed - TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

        var health = JsonDocument.Parse(await client.GetStringAsync(new Uri("/health/ready", UriKind.Relative))).RootElement;
        var storage = health.GetProperty("checks").GetProperty("storage");
        Assert.Equal("Degraded", storage.GetProperty("status").GetString());
        Assert.Equal("Open", storage.GetProperty("data").GetProperty("circuit").GetString());
    }

    [Fact]
    public async Task Busy_bulkhead_is_503_storage_busy_with_Retry_After()
    {
        var storage = Substitute.For<IVectorStorage>();
        storage.Capabilities.Returns(new StorageCapabilities { SystemName = "mock" });
        storage.ListIndexesAsync(Arg.Any<CancellationToken>()).ThrowsAsync(new StorageBusyException("busy") { RetryAfter = TimeSpan.FromSeconds(2) });
        using var factory = new TheodoreApiFactory().WithStorage(storage);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(Indexes);

        await response.AssertProblemAsync(HttpStatusCode.ServiceUnavailable, ErrorCodes.StorageBusy);
        Assert.Equal(TimeSpan.FromSeconds(2), response.Headers.RetryAfter?.Delta);
    }

    [Fact]
    public async Task Index_stats_show_the_cache_statistics_and_the_circuit_state_when_those_decorators_are_on()
    {
        using var factory = new TheodoreApiFactory(
        [
            new("VectorStorage:Decorators:Caching:Enabled", "true"),
            new("VectorStorage:Decorators:Resilience:Enabled", "true"),
        ]);
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(Indexes, new { name = "observed", dimension = 3, metric = "cosine" })).StatusCode);
        var query = new Uri("/v1/indexes/observed/query", UriKind.Relative);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync(query, new { vector = new[] { 1f, 0f, 0f }, topK = 3 })).StatusCode);
        }

        var stats = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/indexes/observed/stats", UriKind.Relative))).RootElement;

        Assert.Equal(2, stats.GetProperty("cache").GetProperty("hits").GetInt64());
        Assert.Equal(1, stats.GetProperty("cache").GetProperty("misses").GetInt64());
        Assert.Equal("Closed", stats.GetProperty("circuit").GetString());
    }

    [Fact]
    public async Task Index_stats_leave_out_cache_and_circuit_when_those_decorators_are_off()
    {
        using var factory = new TheodoreApiFactory();
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync(Indexes, new { name = "plain", dimension = 3, metric = "cosine" })).StatusCode);

        var stats = JsonDocument.Parse(await client.GetStringAsync(new Uri("/v1/indexes/plain/stats", UriKind.Relative))).RootElement;

        Assert.False(stats.TryGetProperty("cache", out _));
        Assert.False(stats.TryGetProperty("circuit", out _));
    }

    [Fact]
    public async Task Otlp_export_switched_on_by_the_standard_variable_sends_spans_to_the_endpoint()
    {
        using var listener = new System.Net.HttpListener();
        var port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        listener.Start();
        var received = ReceiveAsync(listener);
        using var factory = new TheodoreApiFactory(
        [
            new(Theodore.Api.Hosting.Observability.OtlpEndpointVariable, $"http://127.0.0.1:{port}"),
            new("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf"),
        ]);
        using var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(Indexes)).StatusCode);
        Assert.True(factory.Services.GetRequiredService<TracerProvider>().ForceFlush(30_000));

        // waits for the exporter's first batch of spans; the deadline only bounds a failure
        Assert.Equal("/v1/traces", await received.WaitAsync(TimeSpan.FromSeconds(60)));
    }

    [Theory]
    [InlineData(null, null, false)]
    [InlineData(null, "true", true)]
    [InlineData("http://127.0.0.1:9", null, true)]
    public async Task Spans_are_recorded_only_when_something_exports_them_or_they_are_asked_for(string? otlpEndpoint, string? tracingEnabled, bool recorded)
    {
        var settings = new Dictionary<string, string?>();
        if (otlpEndpoint is not null)
        {
            settings[Theodore.Api.Hosting.Observability.OtlpEndpointVariable] = otlpEndpoint;
        }

        if (tracingEnabled is not null)
        {
            settings["Observability:TracingEnabled"] = tracingEnabled;
        }

        using var factory = new TheodoreApiFactory(settings);
        using var client = factory.CreateClient();
        using var response = await client.GetAsync(Indexes);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // the provider is what records: ASP.NET Core's and the storage's spans have no listener without it
        Assert.Equal(recorded, factory.Services.GetService<TracerProvider>() is not null);
    }

    private static async Task<string> ReceiveAsync(System.Net.HttpListener listener)
    {
        while (true)
        {
            var context = await listener.GetContextAsync();
            var path = context.Request.Url!.AbsolutePath;
            context.Response.StatusCode = 200;
            context.Response.Close();
            if (path == "/v1/traces")
            {
                return path;
            }
        }
    }

    private static int FreePort()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        return ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
    }
}
