using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Theodore.Qdrant.Fake.Internal;

namespace Theodore.Qdrant.Fake;

/// <summary>
/// An in-process Qdrant v1.19 gRPC server on a real loopback port (HTTP/2 cleartext), compiled from Qdrant's own .proto
/// files and brute force behind them: <c>await using var fake = await QdrantFake.StartAsync();</c> then point a client at
/// <see cref="Endpoint"/> (e.g. <c>VectorStorage:Qdrant:Endpoint</c>). It serves the Collections RPCs Create, Get, List,
/// Delete and CollectionExists, the Points RPCs Upsert, Get, Delete, Scroll, Count, Query and CreateFieldIndex, and
/// Qdrant.HealthCheck; anything else answers UNIMPLEMENTED. It keeps a request log, counts calls in flight, and fails
/// the next calls on demand (<see cref="FailNext"/>).
/// </summary>
public sealed class QdrantFake : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly FakeStore _store;
    private readonly FakeJournal _journal;

    private QdrantFake(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
        _store = app.Services.GetRequiredService<FakeStore>();
        _journal = app.Services.GetRequiredService<FakeJournal>();
    }

    /// <summary>The server's base address, <c>http://127.0.0.1:PORT</c> (h2c).</summary>
    public Uri Endpoint { get; }

    /// <summary>Every call received so far, oldest first (a snapshot).</summary>
    public IReadOnlyList<QdrantFakeRequest> Requests => _journal.Requests;

    /// <summary>The most calls that were being served at once since start or the last <see cref="ClearRequests"/>.</summary>
    public int MaxConcurrentRequests => _journal.MaxInFlight;

    /// <summary>The most Points/Upsert calls that were being served at once since start or the last <see cref="ClearRequests"/>.</summary>
    public int MaxConcurrentUpserts => _journal.MaxUpsertsInFlight;

    /// <summary>The collections that exist, by name.</summary>
    public IReadOnlyList<string> CollectionNames => _store.Collections.Keys.Order(StringComparer.Ordinal).ToArray();

    public static async Task<QdrantFake> StartAsync(QdrantFakeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new QdrantFakeOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(System.Net.IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<FakeStore>();
        builder.Services.AddSingleton<FakeJournal>();
        builder.Services.AddGrpc(grpc =>
        {
            // Real Qdrant has no gRPC message limit; Grpc.AspNetCore's default of 4 MB would refuse big upserts.
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
            grpc.EnableDetailedErrors = true;
            grpc.Interceptors.Add<FakeInterceptor>();
        });
        var app = builder.Build();
        app.MapGrpcService<CollectionsService>();
        app.MapGrpcService<PointsService>();
        app.MapGrpcService<HealthService>();
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new QdrantFake(app, new Uri(address.Replace("[::1]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public void ClearRequests() => _journal.Clear();

    /// <summary>The next <paramref name="count"/> calls (of <paramref name="rpc"/> only, e.g. <c>Points/Upsert</c>, when given) fail with the status and trailers.</summary>
    public void FailNext(StatusCode status, string detail, int count = 1, string? rpc = null, IReadOnlyDictionary<string, string>? trailers = null) =>
        _journal.Enqueue(new QdrantFakeFault(status, detail, count, rpc, trailers));

    public void FailNext(QdrantFakeFault fault) => _journal.Enqueue(fault ?? throw new ArgumentNullException(nameof(fault)));

    /// <summary>How many points the collection holds, or null when it does not exist.</summary>
    public long? PointCount(string collection)
    {
        if (!_store.Collections.TryGetValue(collection, out var found))
        {
            return null;
        }

        lock (found.Gate)
        {
            return found.Points.Count;
        }
    }

    /// <summary>The payload indexes of a collection: field name to "type" or "type,tenant" (keyword with is_tenant).</summary>
    public IReadOnlyDictionary<string, string> PayloadIndexes(string collection)
    {
        var found = _store.Find(collection);
        lock (found.Gate)
        {
            return found.PayloadIndexes.ToDictionary(
                kv => kv.Key,
                kv => kv.Value.DataType.ToString().ToLowerInvariant() + (kv.Value.Params?.KeywordIndexParams is { IsTenant: true } ? ",tenant" : string.Empty),
                StringComparer.Ordinal);
        }
    }

    /// <summary>The collection's creation settings as the server stored them: shard number, replication and write consistency factors, HNSW m and ef_construct (0 when not given).</summary>
    public (uint ShardNumber, uint ReplicationFactor, uint WriteConsistencyFactor, ulong HnswM, ulong HnswEfConstruct) CollectionSettings(string collection)
    {
        var request = _store.Find(collection).Request;
        return (request.ShardNumber, request.ReplicationFactor, request.WriteConsistencyFactor, request.HnswConfig?.M ?? 0, request.HnswConfig?.EfConstruct ?? 0);
    }

    /// <summary>The stored payload of every point as plain JSON objects, keyed by point id (lower-case UUID or number).</summary>
    public IReadOnlyDictionary<string, string> Payloads(string collection)
    {
        var found = _store.Find(collection);
        lock (found.Gate)
        {
            return found.Points.Values.ToDictionary(
                p => p.Id.ToString(),
                p => PayloadJson.Format(p.Payload),
                StringComparer.Ordinal);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
