using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Grpc.Core;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Theodore.Api.Tests.Endpoints;
using Theodore.Pinecone.Fake;
using Theodore.Qdrant.Fake;

namespace Theodore.Api.Tests.Hosting;

/// <summary>
/// The API on Qdrant and on Pinecone, each selected by configuration alone and served by its protocol fake over a real
/// loopback socket: the same answers as on the native engine, one backend request per query, 501 for what only the
/// native engine does, and the service's API key in no log line, span, metric or response.
/// </summary>
public sealed class RemoteProviderTests
{
    private const string Secret = "sk-remote-3f9c1a7e5b2d4c6e8a0b1d3f5e7c9a2b";

    public static TheoryData<string> Providers => new() { "Qdrant", "Pinecone" };

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task The_tour_answers_the_same_on_a_remote_backend_selected_by_one_setting(string provider)
    {
        await using var backend = await RemoteBackend.StartAsync(provider);
        var logs = new CapturingLoggerProvider();
        var spans = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => spans.Enqueue($"{a.Source.Name} {a.DisplayName} {a.StatusDescription} {string.Join(' ', a.TagObjects.Select(t => $"{t.Key}={t.Value}"))} {string.Join(' ', a.Events.SelectMany(e => e.Tags.Select(t => $"{t.Key}={t.Value}")))}"),
        };
        ActivitySource.AddActivityListener(listener);
        var settings = backend.Settings;
        settings["VectorStorage:Decorators:Resilience:MaxRetryAttempts"] = "1";
        settings["VectorStorage:Decorators:Resilience:BaseDelay"] = "00:00:00.010";
        using var factory = new TheodoreApiFactory(settings).WithWebHostBuilder(b => b.ConfigureLogging(l => l.AddProvider(logs).SetMinimumLevel(LogLevel.Trace)));
        using var client = factory.CreateClient();
        var bodies = new List<string>();

        var ready = await Read(client.GetAsync(new Uri("/health/ready", UriKind.Relative)), bodies);
        Assert.Equal(provider.ToLowerInvariant(), ready.GetProperty("checks").GetProperty("storage").GetProperty("data").GetProperty("system").GetString());

        await Read(client.PostAsJsonAsync("/v1/indexes", new { name = "remote-tour", dimension = 3, metric = "euclidean" }), bodies, HttpStatusCode.Created);
        await Read(client.PostAsJsonAsync("/v1/indexes/remote-tour/vectors/upsert", new
        {
            vectors = new object[]
            {
                new { id = "near", values = new[] { 1f, 0f, 0f }, metadata = new { industry = "fintech", founded = 2017 } },
                new { id = "far", values = new[] { 0f, 4f, 0f }, metadata = new { industry = "fintech", founded = 2009 } },
                new { id = "other", values = new[] { 1f, 0.1f, 0f }, metadata = new { industry = "banking", founded = 2015 } },
            },
        }), bodies);

        backend.ClearRequests();
        var query = await Read(client.PostAsJsonAsync("/v1/indexes/remote-tour/query", new { vector = new[] { 1f, 0f, 0f }, topK = 2, filter = new { industry = "fintech" } }), bodies);
        Assert.Equal(1, backend.QueryRequests);

        var matches = query.GetProperty("matches");
        Assert.Equal(["near", "far"], matches.Ids());
        // the backend's distances (L2 on Qdrant, squared L2 on Pinecone) come back as Theodore's score, 1 / (1 + L2)
        Assert.Equal(1.0, matches[0].GetProperty("score").GetDouble(), 5);
        Assert.Equal(1.0 / (1 + Math.Sqrt(17)), matches[1].GetProperty("score").GetDouble(), 5);

        backend.ClearRequests();
        var byId = await Read(client.PostAsJsonAsync("/v1/indexes/remote-tour/query", new { id = "near", topK = 5 }), bodies);
        Assert.Equal(1, backend.QueryRequests);
        Assert.Equal(["other", "far"], byId.GetProperty("matches").Ids());

        var fetched = await Read(client.PostAsJsonAsync("/v1/indexes/remote-tour/vectors/fetch", new { ids = new[] { "far", "missing", "near" } }), bodies);
        Assert.Equal(2, fetched.GetProperty("vectors").GetArrayLength());

        var wrongDimension = await client.PostAsJsonAsync("/v1/indexes/remote-tour/query", new { vector = new[] { 1f, 0f }, topK = 2 });
        await wrongDimension.AssertProblemAsync(HttpStatusCode.BadRequest, "dimension_mismatch");

        await Read(client.PostAsJsonAsync("/v1/backups", new { }), bodies, HttpStatusCode.NotImplemented);
        await Read(client.GetAsync(new Uri("/v1/indexes/remote-tour/integrity", UriKind.Relative)), bodies, HttpStatusCode.NotImplemented);
        Assert.All(bodies.TakeLast(2), body => Assert.Contains("unsupported_operation", body, StringComparison.Ordinal));

        // the resilience decorator, on by default for remote providers, retries a transient failure once; the adapter
        // itself never retries, so the backend sees exactly two requests, not a retry two layers deep
        backend.ClearRequests();
        backend.FailNextQuery(times: 1);
        await Read(client.PostAsJsonAsync("/v1/indexes/remote-tour/query", new { vector = new[] { 1f, 0f, 0f }, topK = 2 }), bodies);
        Assert.Equal(2, backend.QueryRequests);

        // an outage that outlasts the retries is a 503 that says so, not a 500, and does not carry the key either
        backend.FailNextQuery(times: 2);
        var outage = await client.PostAsJsonAsync("/v1/indexes/remote-tour/query", new { vector = new[] { 1f, 0f, 0f }, topK = 2 });
        bodies.Add(await outage.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, outage.StatusCode);

        (await client.DeleteAsync(new Uri("/v1/indexes/remote-tour", UriKind.Relative))).EnsureSuccessStatusCode();
        var metrics = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        bodies.Add(await metrics.Content.ReadAsStringAsync());

        Assert.True(backend.SawTheKey, "the backend never received the configured API key");
        Assert.DoesNotContain(bodies, body => body.Contains(Secret, StringComparison.Ordinal));
        Assert.NotEmpty(logs.Lines);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(Secret, StringComparison.Ordinal));
        Assert.Contains(spans, span => span.StartsWith("Theodore.VectorStorage", StringComparison.Ordinal));
        Assert.DoesNotContain(spans, span => span.Contains(Secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("Qdrant", "VectorStorage:Qdrant:Endpoint", "not a url")]
    [InlineData("Pinecone", "VectorStorage:Pinecone:ApiKey", "")]
    public void A_remote_provider_with_invalid_settings_does_not_start(string provider, string key, string value)
    {
        using var factory = new TheodoreApiFactory(new Dictionary<string, string?>
        {
            ["VectorStorage:Provider"] = provider,
            ["VectorStorage:Pinecone:ApiKey"] = Secret,
            [key] = value,
        });

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains(key.Split(':')[^1], error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, error.ToString(), StringComparison.Ordinal);
    }

    private static async Task<JsonElement> Read(Task<HttpResponseMessage> send, List<string> bodies, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await send;
        var body = await response.Content.ReadAsStringAsync();
        bodies.Add(body);
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>A protocol fake behind the settings that select its provider.</summary>
    private abstract class RemoteBackend : IAsyncDisposable
    {
        public abstract Dictionary<string, string?> Settings { get; }

        /// <summary>Query requests the fake received since the last <see cref="ClearRequests"/>; requests of the
        /// background work (the vector-count refresh, health checks) are not counted, whenever they land.</summary>
        public abstract int QueryRequests { get; }

        public abstract bool SawTheKey { get; }

        public static async Task<RemoteBackend> StartAsync(string provider) => provider switch
        {
            "Qdrant" => new QdrantBackend(await QdrantFake.StartAsync(new QdrantFakeOptions { ApiKey = Secret })),
            "Pinecone" => new PineconeBackend(await PineconeFake.StartAsync(new PineconeFakeOptions { ApiKey = Secret })),
            _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "no such provider"),
        };

        public abstract void ClearRequests();

        public abstract void FailNextQuery(int times);

        public abstract ValueTask DisposeAsync();
    }

    private sealed class QdrantBackend(QdrantFake fake) : RemoteBackend
    {
        public override Dictionary<string, string?> Settings => new()
        {
            ["VectorStorage:Provider"] = "Qdrant",
            ["VectorStorage:Qdrant:Endpoint"] = fake.Endpoint.ToString(),
            ["VectorStorage:Qdrant:ApiKey"] = Secret,
        };

        public override int QueryRequests => fake.Requests.Count(r => r.Rpc == "Points/Query");

        public override bool SawTheKey => fake.Requests.Any(r => r.ApiKey == Secret);

        public override void ClearRequests() => fake.ClearRequests();

        public override void FailNextQuery(int times) => fake.FailNext(StatusCode.Unavailable, "shard is not available", times, rpc: "Points/Query");

        public override ValueTask DisposeAsync() => fake.DisposeAsync();
    }

    private sealed class PineconeBackend(PineconeFake fake) : RemoteBackend
    {
        public override Dictionary<string, string?> Settings => new()
        {
            ["VectorStorage:Provider"] = "Pinecone",
            ["VectorStorage:Pinecone:ControlPlaneEndpoint"] = fake.ControlPlaneEndpoint.ToString(),
            ["VectorStorage:Pinecone:ApiKey"] = Secret,
        };

        public override int QueryRequests => fake.Requests.Count(r => r.Operation == "queryVectors");

        // the fake answers 401 to any other key, so a served data-plane request proves the key arrived
        public override bool SawTheKey => fake.Requests.Any(r => r.Plane == "data" && r.Status == 200);

        public override void ClearRequests() => fake.ClearRequests();

        public override void FailNextQuery(int times) => fake.InjectFault(new FakeFault(503, Times: times, PathContains: "/query"));

        public override ValueTask DisposeAsync() => fake.DisposeAsync();
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        private readonly ConcurrentQueue<string> _lines = new();

        public IReadOnlyCollection<string> Lines => _lines;

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                ArgumentNullException.ThrowIfNull(formatter);
                lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
            }
        }
    }
}
