using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Theodore.Pinecone.Fake;

/// <summary>
/// An in-process Pinecone (API 2026-04) on real loopback Kestrel ports, for tests and for pointing the API at.
/// <para>
/// The control plane listens on <see cref="ControlPlaneEndpoint"/>; each index gets its own listener on 127.0.0.1 and
/// reports it as its <c>host</c> (<c>127.0.0.1:PORT</c>, without a scheme, like Pinecone Local's per-index ports), so a
/// client reaches it over plain http. Every request body is validated against the operation's <c>requestBody</c>
/// schema from Pinecone's official OpenAPI documents (<see cref="OpenApiSpec"/>); a body the spec does not allow is
/// answered 400 and recorded in <see cref="SpecViolations"/>. Limits are enforced (1,000 vectors and 2 MB per upsert,
/// 1,000 ids per fetch and delete, topK 1-10,000 by the schema, 40 KB of metadata, ids of 1-512 characters, dense
/// vectors with a non-zero value), search is brute force with Pinecone's score conventions (euclidean = squared L2,
/// the record itself included in a query by id), writes can be made visible only after a delay, and faults (429, 503
/// with <c>Retry-After</c>, anything) can be injected. Every request is logged in <see cref="Requests"/>.
/// </para>
/// </summary>
public sealed partial class PineconeFake : IAsyncDisposable
{
    private readonly PineconeFakeOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _catalogGate = new();
    private readonly SortedDictionary<string, FakeIndex> _indexes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, WebApplication> _dataServers = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _createGate = new(1, 1);
    private readonly Lock _logGate = new();
    private readonly List<FakeRequest> _requests = [];
    private readonly List<SpecViolation> _violations = [];
    private readonly List<FakeFault> _faults = [];
    private readonly List<Task> _stopping = [];
    private WebApplication? _control;
    private int _inFlight;
    private int _maxInFlight;

    private PineconeFake(PineconeFakeOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
    }

    /// <summary>The control plane, e.g. <c>http://127.0.0.1:41234</c>: the adapter's <c>ControlPlaneEndpoint</c>.</summary>
    public Uri ControlPlaneEndpoint { get; private set; } = null!;

    /// <summary>The key the fake accepts in the <c>Api-Key</c> header.</summary>
    public string ApiKey => _options.ApiKey;

    /// <summary>Every request received so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<FakeRequest> Requests
    {
        get
        {
            lock (_logGate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>Every request body the official schema did not allow (a snapshot); tests assert it stays empty.</summary>
    public IReadOnlyList<SpecViolation> SpecViolations
    {
        get
        {
            lock (_logGate)
            {
                return _violations.ToArray();
            }
        }
    }

    /// <summary>The most requests the fake was serving at one moment (for bounded-parallelism tests); <see cref="ClearRequests"/> resets it.</summary>
    public int MaxConcurrentRequests => Volatile.Read(ref _maxInFlight);

    /// <summary>The indexes that exist now, by name.</summary>
    public IReadOnlyList<FakeIndex> Indexes
    {
        get
        {
            lock (_catalogGate)
            {
                return _indexes.Values.ToArray();
            }
        }
    }

    /// <summary>Starts the control plane on 127.0.0.1 and a free port.</summary>
    public static async Task<PineconeFake> StartAsync(PineconeFakeOptions? options = null, TimeProvider? time = null, CancellationToken cancellationToken = default)
    {
        var fake = new PineconeFake(options ?? new PineconeFakeOptions(), time ?? TimeProvider.System);
        _ = OpenApiSpec.ControlPlane;
        _ = OpenApiSpec.DataPlane;
        var (app, endpoint) = await fake.StartServerAsync("control", null, cancellationToken).ConfigureAwait(false);
        fake._control = app;
        fake.ControlPlaneEndpoint = endpoint;
        return fake;
    }

    public FakeIndex? FindIndex(string name)
    {
        lock (_catalogGate)
        {
            return _indexes.GetValueOrDefault(name);
        }
    }

    /// <summary>
    /// Stops the index's own listener while the control plane keeps listing it, so its host refuses connections: what a
    /// client sees between another client's deletion and its own next look at the control plane, or in an outage.
    /// </summary>
    public async Task CloseHostAsync(string name)
    {
        WebApplication? server;
        lock (_catalogGate)
        {
            _dataServers.Remove(name, out server);
        }

        if (server is not null)
        {
            await StopAsync(server).ConfigureAwait(false);
        }
    }

    /// <summary>The body of the latest request whose path contains <paramref name="pathContains"/>, when it was kept.</summary>
    public string? LastBody(string pathContains) =>
        Requests.LastOrDefault(r => r.Path.Contains(pathContains, StringComparison.Ordinal))?.Body;

    public void ClearRequests()
    {
        lock (_logGate)
        {
            _requests.Clear();
            Volatile.Write(ref _maxInFlight, 0);
        }
    }

    /// <summary>Answers the next matching request(s) with the fault instead of serving them.</summary>
    public void InjectFault(FakeFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_logGate)
        {
            _faults.Add(fault);
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<WebApplication> servers;
        lock (_catalogGate)
        {
            servers = [.. _dataServers.Values];
            _dataServers.Clear();
            _indexes.Clear();
        }

        if (_control is not null)
        {
            servers.Add(_control);
        }

        Task[] stopping;
        lock (_logGate)
        {
            stopping = [.. _stopping];
        }

        await Task.WhenAll(servers.Select(StopAsync).Concat(stopping)).ConfigureAwait(false);
        _createGate.Dispose();
    }

    private static async Task StopAsync(WebApplication app)
    {
        await app.StopAsync().ConfigureAwait(false);
        await app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task<(WebApplication App, Uri Endpoint)> StartServerAsync(string plane, FakeIndex? index, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, 0);
            kestrel.Limits.MaxRequestLineSize = 64 * 1024;
            kestrel.Limits.MaxRequestBufferSize = 1024 * 1024;
            kestrel.Limits.MaxRequestBodySize = 16 * 1024 * 1024;
        });
        var app = builder.Build();
        app.Run(context => HandleAsync(context, plane, index));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (app, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal), UriKind.Absolute));
    }

    private async Task HandleAsync(HttpContext context, string plane, FakeIndex? index)
    {
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); inFlight > max; max = Volatile.Read(ref _maxInFlight))
        {
            if (Interlocked.CompareExchange(ref _maxInFlight, inFlight, max) == max)
            {
                break;
            }
        }

        try
        {
            await ServeRequestAsync(context, plane, index).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task ServeRequestAsync(HttpContext context, string plane, FakeIndex? index)
    {
        var request = context.Request;
        var body = string.Empty;
        var bytes = 0;
        var path = request.Path.Value ?? "/";
        var spec = plane == "control" ? OpenApiSpec.ControlPlane : OpenApiSpec.DataPlane;
        var operation = spec.FindOperation(request.Method, path);
        var vectorCount = 0;
        FakeResponse response;
        try
        {
            using (var reader = new StreamReader(request.Body, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
            }

            bytes = Encoding.UTF8.GetByteCount(body);
            vectorCount = CountVectors(operation, body, request.Query["ids"].Count);
            var fault = TakeFault(plane, path);
            if (fault?.Delay is { } delay)
            {
                await Task.Delay(delay, _time, context.RequestAborted).ConfigureAwait(false);
            }

            response = fault is not null && fault.Status != 200
                ? FaultResponse(plane, fault)
                : await ServeAsync(context, plane, index, operation, path, body, bytes).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (an attempt timeout) before the answer: still a request the service received, logged
            // with nginx's 499, so a test counting attempts sees it however late this handler ran.
            response = Error(plane, 499, "the client closed the request");
        }
        catch (FakeBadRequest bad)
        {
            response = Error(plane, 400, bad.Message);
        }
        catch (System.Text.Json.JsonException bad)
        {
            response = Error(plane, 400, $"the body is not valid JSON: {bad.Message}");
        }
#pragma warning disable CA1031 // A fault of the fake itself answers 500 with its words, so a test shows it instead of a bare status.
        catch (Exception failure)
#pragma warning restore CA1031
        {
            response = Error(plane, 500, $"the fake failed: {failure}");
        }

        lock (_logGate)
        {
            _requests.Add(new FakeRequest(plane, request.Method, path, request.Host.Value ?? string.Empty, operation, index?.Name, bytes, vectorCount, response.Status, _time.GetUtcNow(), request.QueryString.Value ?? string.Empty, bytes <= 64 * 1024 ? body : null));
        }

        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>(StringComparer.Ordinal))
        {
            context.Response.Headers[name] = value;
        }

        if (response.Body is not null)
        {
            context.Response.ContentType = response.ContentType;
            await context.Response.WriteAsync(response.Body, context.RequestAborted).ConfigureAwait(false);
        }
    }

    private async Task<FakeResponse> ServeAsync(HttpContext context, string plane, FakeIndex? index, string? operation, string path, string body, int bytes)
    {
        var request = context.Request;
        if (!string.Equals(request.Headers["Api-Key"].ToString(), _options.ApiKey, StringComparison.Ordinal))
        {
            return plane == "control"
                ? Error(plane, 401, "Invalid API Key", "UNAUTHENTICATED")
                : new FakeResponse(401, "Unauthorized", "text/plain");
        }

        if (!string.Equals(request.Headers["X-Pinecone-Api-Version"].ToString(), "2026-04", StringComparison.Ordinal))
        {
            return Error(plane, 400, "the X-Pinecone-Api-Version header must name 2026-04, the version this fake speaks");
        }

        if (operation is null)
        {
            return Error(plane, 404, $"no operation {request.Method} {path}", "NOT_FOUND");
        }

        if (operation == "upsertVectors" && bytes > _options.MaxUpsertBytes)
        {
            return Error(plane, 400, $"Request size {bytes} bytes exceeds the maximum supported size of {_options.MaxUpsertBytes} bytes");
        }

        var problems = (plane == "control" ? OpenApiSpec.ControlPlane : OpenApiSpec.DataPlane).Validate(request.Method, path, string.IsNullOrEmpty(body) ? null : body);
        if (problems.Count > 0)
        {
            lock (_logGate)
            {
                _violations.Add(new SpecViolation(plane, request.Method, path, operation, problems, body.Length > 2000 ? body[..2000] : body));
            }

            return Error(plane, 400, "the request body does not match the API specification: " + string.Join("; ", problems.Take(5)));
        }

        return plane == "control"
            ? await ServeControlAsync(operation, path, body).ConfigureAwait(false)
            : ServeData(index!, operation, context.Request.Query, body);
    }

    private FakeFault? TakeFault(string plane, string path)
    {
        lock (_logGate)
        {
            var fault = _faults.FirstOrDefault(f => (f.Plane is null || f.Plane == plane) && (f.PathContains is null || path.Contains(f.PathContains, StringComparison.Ordinal)));
            if (fault is null)
            {
                return null;
            }

            _faults.Remove(fault);
            if (fault.Times > 1)
            {
                _faults.Insert(0, fault with { Times = fault.Times - 1 });
            }

            return fault;
        }
    }

    private static FakeResponse FaultResponse(string plane, FakeFault fault)
    {
        var response = fault.Body is not null
            ? new FakeResponse(fault.Status, fault.Body, fault.ContentType ?? "application/json")
            : Error(plane, fault.Status, $"injected fault {fault.Status}", ControlCode(fault.Status));
        return fault.RetryAfter is null ? response : response with { Headers = new Dictionary<string, string>(StringComparer.Ordinal) { ["Retry-After"] = fault.RetryAfter } };
    }

    private static int CountVectors(string? operation, string body, int queryIds)
    {
        if (operation == "fetchVectors")
        {
            return queryIds;
        }

        if (operation is not ("upsertVectors" or "deleteVectors") || body.Length == 0)
        {
            return 0;
        }

        using var document = System.Text.Json.JsonDocument.Parse(body);
        return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object
            && document.RootElement.TryGetProperty(operation == "upsertVectors" ? "vectors" : "ids", out var list)
            && list.ValueKind == System.Text.Json.JsonValueKind.Array
            ? list.GetArrayLength()
            : 0;
    }

    internal static FakeResponse Error(string plane, int status, string message, string? code = null)
    {
        if (plane == "control")
        {
            var json = new JsonObject
            {
                ["error"] = new JsonObject { ["code"] = code ?? ControlCode(status), ["message"] = message },
                ["status"] = status,
            };
            return new FakeResponse(status, json.ToJsonString(), "application/json");
        }

        var rpc = new JsonObject { ["code"] = RpcCode(status), ["message"] = message, ["details"] = new JsonArray() };
        return new FakeResponse(status, rpc.ToJsonString(), "application/json");
    }

    private static string ControlCode(int status) => status switch
    {
        400 => "INVALID_ARGUMENT",
        401 => "UNAUTHENTICATED",
        402 => "PAYMENT_REQUIRED",
        403 => "FORBIDDEN",
        404 => "NOT_FOUND",
        409 => "ALREADY_EXISTS",
        412 => "FAILED_PRECONDITION",
        422 => "UNPROCESSABLE_ENTITY",
        429 => "RESOURCE_EXHAUSTED",
        503 => "UNAVAILABLE",
        504 => "DEADLINE_EXCEEDED",
        _ => status >= 500 ? "INTERNAL" : "UNKNOWN",
    };

    private static int RpcCode(int status) => status switch
    {
        400 => 3,
        401 => 16,
        403 => 7,
        404 => 5,
        409 => 6,
        412 => 9,
        429 => 8,
        503 => 14,
        504 => 4,
        _ => status >= 500 ? 13 : 2,
    };

    internal sealed record FakeResponse(int Status, string? Body, string ContentType = "application/json", IReadOnlyDictionary<string, string>? Headers = null);
}
