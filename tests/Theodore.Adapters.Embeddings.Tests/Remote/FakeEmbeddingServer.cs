using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Theodore.Adapters.Embeddings.Tests.Remote;

/// <summary>One request as the fake saw it, and what it answered.</summary>
internal sealed record FakeRequest(string Path, string? Authorization, JsonObject Body, int Status, DateTimeOffset At);

/// <summary>A fault the fake answers instead of embedding, once per request, in order.</summary>
internal sealed record FakeFault(int Status, string? RetryAfter = null, string? Body = null);

/// <summary>
/// OpenAI's <c>POST /v1/embeddings</c> and Cohere's <c>POST /v2/embed</c> on a loopback Kestrel port. Each text gets a
/// deterministic unit vector (<see cref="VectorFor"/>) of the size the request asks for or the model's own. Requests
/// are checked the way the providers document them (OpenAI: <c>model</c>, <c>input</c>, optional <c>dimensions</c>,
/// <c>encoding_format</c> <c>float</c> or <c>base64</c>, <c>user</c>; Cohere: <c>model</c>, <c>texts</c> (at most
/// 96), <c>input_type</c>, <c>embedding_types</c>, optional <c>output_dimension</c> and <c>truncate</c>); anything else
/// is answered 400 and noted in <see cref="Violations"/>. A wrong key is answered 401 with the key echoed in the body,
/// as a careless proxy might, so the generators' scrubbing is tested.
/// </summary>
internal sealed class FakeEmbeddingServer : IAsyncDisposable
{
    private static readonly HashSet<string> OpenAIFields = new(StringComparer.Ordinal) { "model", "input", "dimensions", "encoding_format", "user" };
    private static readonly HashSet<string> CohereFields = new(StringComparer.Ordinal) { "model", "texts", "input_type", "embedding_types", "output_dimension", "truncate", "max_tokens" };
    private static readonly HashSet<string> CohereInputTypes = new(StringComparer.Ordinal) { "search_document", "search_query", "classification", "clustering" };

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeFault> _faults = new();
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly ConcurrentQueue<string> _violations = new();

    private FakeEmbeddingServer(WebApplication app) => _app = app;

    public string ApiKey { get; init; } = "sk-test-" + Guid.NewGuid().ToString("N");

    /// <summary>Accept requests without the key, as a local Ollama does.</summary>
    public bool RequireKey { get; set; } = true;

    /// <summary>How long each request takes before it is answered.</summary>
    public TimeSpan Delay { get; set; } = TimeSpan.Zero;

    public Uri Root { get; private set; } = null!;

    public IReadOnlyList<FakeRequest> Requests => _requests.ToArray();

    public IReadOnlyList<string> Violations => _violations.ToArray();

    public static async Task<FakeEmbeddingServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var fake = new FakeEmbeddingServer(app);
        app.MapPost("/v1/embeddings", fake.OpenAIAsync);
        app.MapPost("/v2/embed", fake.CohereAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.Root = new Uri(address);
        return fake;
    }

    /// <summary>A deterministic unit vector for <paramref name="text"/>, as the fake embeds it.</summary>
    public static float[] VectorFor(string text, int dimension)
    {
        var seed = BitConverter.ToInt32(SHA256.HashData(Encoding.UTF8.GetBytes(text)), 0);
#pragma warning disable CA5394 // not security: a repeatable vector per text
        var random = new Random(seed);
        var vector = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            vector[i] = (float)((random.NextDouble() * 2) - 1);
        }
#pragma warning restore CA5394

        var norm = System.Numerics.Tensors.TensorPrimitives.Norm(vector);
        System.Numerics.Tensors.TensorPrimitives.Divide(vector, norm, vector);
        return vector;
    }

    public void Fail(params FakeFault[] faults)
    {
        foreach (var fault in faults)
        {
            _faults.Enqueue(fault);
        }
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    private static int DefaultDimension(string model) => model switch
    {
        "text-embedding-3-small" or "text-embedding-ada-002" or "embed-v4.0" => 1536,
        "text-embedding-3-large" => 3072,
        "embed-english-v3.0" or "embed-multilingual-v3.0" => 1024,
        "embed-english-light-v3.0" or "embed-multilingual-light-v3.0" => 384,
        _ => 768,
    };

    private async Task OpenAIAsync(HttpContext context)
    {
        var (body, early) = await BeginAsync(context, OpenAIFields, "{\"error\":{\"message\":\"Incorrect API key provided: {KEY}.\",\"type\":\"invalid_request_error\",\"code\":\"invalid_api_key\"}}");
        if (early)
        {
            return;
        }

        var model = body["model"]?.GetValue<string>();
        var inputs = body["input"] switch
        {
            JsonArray array => array.Select(n => n!.GetValue<string>()).ToArray(),
            JsonValue one => [one.GetValue<string>()],
            _ => null,
        };
        var format = body["encoding_format"]?.GetValue<string>() ?? "float";
        if (model is null || inputs is null || inputs.Length is 0 or > 2048 || (format != "float" && format != "base64"))
        {
            await RejectAsync(context, body, "{\"error\":{\"message\":\"bad request\",\"type\":\"invalid_request_error\"}}", "OpenAI: model, 1-2048 inputs and a known encoding_format are required");
            return;
        }

        var dimension = body["dimensions"]?.GetValue<int>() ?? DefaultDimension(model);
        var data = new JsonArray();
        for (var i = 0; i < inputs.Length; i++)
        {
            var vector = VectorFor(inputs[i], dimension);
            JsonNode embedding = format == "base64"
                ? JsonValue.Create(Convert.ToBase64String(MemoryMarshal.AsBytes(vector.AsSpan())))
                : new JsonArray(vector.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
            data.Add(new JsonObject { ["object"] = "embedding", ["index"] = i, ["embedding"] = embedding });
        }

        var answer = new JsonObject
        {
            ["object"] = "list",
            ["data"] = data,
            ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = inputs.Length, ["total_tokens"] = inputs.Length },
        };
        await AnswerAsync(context, body, 200, answer.ToJsonString());
    }

    private async Task CohereAsync(HttpContext context)
    {
        var (body, early) = await BeginAsync(context, CohereFields, "{\"id\":\"x\",\"message\":\"invalid api token {KEY}\"}");
        if (early)
        {
            return;
        }

        var model = body["model"]?.GetValue<string>();
        var texts = (body["texts"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToArray();
        var inputType = body["input_type"]?.GetValue<string>();
        var types = (body["embedding_types"] as JsonArray)?.Select(n => n!.GetValue<string>()).ToArray();
        if (model is null || texts is null || texts.Length is 0 or > 96 || inputType is null || !CohereInputTypes.Contains(inputType) || types is null || !types.Contains("float"))
        {
            await RejectAsync(context, body, "{\"id\":\"x\",\"message\":\"invalid request: texts must hold 1-96 items\"}", "Cohere: model, 1-96 texts, a known input_type and float among embedding_types are required");
            return;
        }

        var dimension = body["output_dimension"]?.GetValue<int>() ?? DefaultDimension(model);
        var floats = new JsonArray(texts.Select(t => (JsonNode)new JsonArray(VectorFor(t, dimension).Select(v => (JsonNode)JsonValue.Create(v)).ToArray())).ToArray());
        var answer = new JsonObject
        {
            ["id"] = Guid.NewGuid().ToString(),
            ["embeddings"] = new JsonObject { ["float"] = floats },
            ["texts"] = new JsonArray(texts.Select(t => (JsonNode)JsonValue.Create(t)).ToArray()),
            ["meta"] = new JsonObject { ["api_version"] = new JsonObject { ["version"] = "2" }, ["billed_units"] = new JsonObject { ["input_tokens"] = texts.Length } },
            ["response_type"] = "embeddings_by_type",
        };
        await AnswerAsync(context, body, 200, answer.ToJsonString());
    }

    private async Task<(JsonObject Body, bool Answered)> BeginAsync(HttpContext context, HashSet<string> fields, string unauthorized)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var text = await reader.ReadToEndAsync(context.RequestAborted);
        var body = JsonNode.Parse(text) as JsonObject ?? [];
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, context.RequestAborted);
        }

        var unknown = body.Select(p => p.Key).Where(k => !fields.Contains(k)).ToArray();
        if (unknown.Length > 0)
        {
            await RejectAsync(context, body, "{\"message\":\"unknown field\"}", $"{context.Request.Path}: unknown fields {string.Join(", ", unknown)}");
            return (body, true);
        }

        if (RequireKey && !string.Equals(context.Request.Headers.Authorization.ToString(), "Bearer " + ApiKey, StringComparison.Ordinal))
        {
            var presented = context.Request.Headers.Authorization.ToString().Replace("Bearer ", string.Empty, StringComparison.Ordinal);
            await AnswerAsync(context, body, 401, unauthorized.Replace("{KEY}", presented, StringComparison.Ordinal));
            return (body, true);
        }

        if (_faults.TryDequeue(out var fault))
        {
            if (fault.RetryAfter is { } retryAfter)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            await AnswerAsync(context, body, fault.Status, fault.Body ?? "{\"message\":\"injected fault\"}");
            return (body, true);
        }

        return (body, false);
    }

    private async Task RejectAsync(HttpContext context, JsonObject body, string answer, string violation)
    {
        _violations.Enqueue(violation);
        await AnswerAsync(context, body, 400, answer);
    }

    private async Task AnswerAsync(HttpContext context, JsonObject body, int status, string json)
    {
        _requests.Enqueue(new FakeRequest(context.Request.Path, context.Request.Headers.Authorization.ToString(), body, status, DateTimeOffset.UtcNow));
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }
}
