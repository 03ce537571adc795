using Grpc.Core;
using Grpc.Net.Client;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using Theodore.Qdrant.Fake;

namespace Theodore.Adapters.Qdrant.Tests;

/// <summary>The fake answers as Qdrant v1.19 does (qdrant-grpc.md), checked through the official client.</summary>
public sealed class FakeProtocolTests : IAsyncLifetime, IDisposable
{
    private QdrantFake _fake = null!;
    private GrpcChannel _channel = null!;
    private QdrantClient _client = null!;

    public async Task InitializeAsync()
    {
        _fake = await QdrantFake.StartAsync();
        _channel = GrpcChannel.ForAddress(_fake.Endpoint);
        _client = new QdrantClient(new QdrantGrpcClient(_channel));
        await _client.CreateCollectionAsync("c", new VectorParams { Size = 2, Distance = Distance.Euclid });
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose()
    {
        _client.Dispose();
        _channel.Dispose();
    }

    [Fact]
    public async Task Match_without_a_case_is_INVALID_ARGUMENT_never_match_everything()
    {
        var filter = new Filter();
        filter.Must.Add(new Condition { Field = new FieldCondition { Key = "k", Match = new Match() } });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _client.CountAsync("c", filter));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("Malformed Match condition", error.Status.Detail);
    }

    [Fact]
    public async Task Ids_statuses_and_messages_are_the_servers()
    {
        var badId = await Assert.ThrowsAsync<RpcException>(async () => await _client.RetrieveAsync("c", [new PointId { Uuid = "not-a-uuid" }], withPayload: false));
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await _client.CountAsync("nope"));
        var exists = await Assert.ThrowsAsync<RpcException>(async () => await _client.CreateCollectionAsync("c", new VectorParams { Size = 2, Distance = Distance.Dot }));
        var dimension = await Assert.ThrowsAsync<RpcException>(async () => await _client.UpsertAsync("c", [Point(1, 1, 2, 3)]));
        var deleteMissing = await Assert.ThrowsAsync<QdrantException>(async () => await _client.DeleteCollectionAsync("nope"));

        Assert.Equal((StatusCode.InvalidArgument, "Unable to parse UUID: not-a-uuid"), (badId.StatusCode, badId.Status.Detail));
        Assert.Equal((StatusCode.NotFound, "Not found: Collection `nope` doesn't exist!"), (missing.StatusCode, missing.Status.Detail));
        Assert.Equal((StatusCode.AlreadyExists, "Wrong input: Collection `c` already exists!"), (exists.StatusCode, exists.Status.Detail));
        Assert.Equal((StatusCode.InvalidArgument, "Wrong input: Vector dimension error: expected dim: 2, got 3"), (dimension.StatusCode, dimension.Status.Detail));
        Assert.NotNull(deleteMissing);
    }

    [Fact]
    public async Task Scroll_is_numeric_then_uuid_order_with_inclusive_offset_and_next_page_offset()
    {
        var a = Guid.Parse("00000000-0000-4000-8000-000000000002");
        var b = Guid.Parse("ffffffff-0000-4000-8000-000000000001");
        await _client.UpsertAsync("c", [Point(b, 1, 1), Point(10, 1, 1), Point(a, 1, 1), Point(2, 1, 1)]);

        var first = await _client.ScrollAsync("c", limit: 3);
        var rest = await _client.ScrollAsync("c", limit: 3, offset: first.NextPageOffset);

        Assert.Equal(["2", "10", a.ToString("D")], first.Result.Select(Text), StringComparer.Ordinal);
        Assert.Equal(b.ToString("D"), first.NextPageOffset.Uuid);
        Assert.Equal([b.ToString("D")], rest.Result.Select(Text), StringComparer.Ordinal);
        Assert.Null(rest.NextPageOffset);
        await Assert.ThrowsAsync<RpcException>(async () => await _client.ScrollAsync("c", limit: 0));
    }

    [Fact]
    public async Task Retrieve_answers_in_request_order_without_duplicates_or_missing_ids()
    {
        await _client.UpsertAsync("c", [Point(1, 1, 1), Point(2, 2, 2), Point(3, 3, 3)]);

        var points = await _client.RetrieveAsync("c", [new PointId { Num = 3 }, new PointId { Num = 9 }, new PointId { Num = 1 }, new PointId { Num = 3 }], withPayload: false);

        Assert.Equal(["3", "1"], points.Select(Text), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Query_scores_are_distances_with_a_strict_threshold_and_a_query_by_id_leaves_the_point_out()
    {
        await _client.UpsertAsync("c", [Point(1, 0, 0), Point(2, 3, 4), Point(3, 6, 8)]);

        var all = await _client.QueryAsync("c", new Query { Nearest = new VectorInput { Dense = Dense(0, 0) } });
        var strict = await _client.QueryAsync("c", new Query { Nearest = new VectorInput { Dense = Dense(0, 0) } }, scoreThreshold: 5f);
        var byId = await _client.QueryAsync("c", new Query { Nearest = new VectorInput { Id = new PointId { Num = 2 } } });
        var missing = await Assert.ThrowsAsync<RpcException>(async () => await _client.QueryAsync("c", new Query { Nearest = new VectorInput { Id = new PointId { Num = 7 } } }));

        Assert.Equal([0f, 5f, 10f], all.Select(p => p.Score));
        Assert.Equal(["1"], strict.Select(p => Text(p.Id)), StringComparer.Ordinal);
        Assert.Equal(["1", "3"], byId.Select(p => Text(p.Id)), StringComparer.Ordinal);
        Assert.Equal((StatusCode.NotFound, "Not found: No point with id 7 found"), (missing.StatusCode, missing.Status.Detail));
    }

    [Fact]
    public async Task Injected_fault_carries_status_and_trailers_then_the_server_recovers()
    {
        _fake.FailNext(StatusCode.ResourceExhausted, "Rate limiting exceeded", rpc: "Points/Count", trailers: new Dictionary<string, string>(StringComparer.Ordinal) { ["retry-after"] = "3" });

        var error = await Assert.ThrowsAsync<RpcException>(async () => await _client.CountAsync("c"));
        var count = await _client.CountAsync("c");

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Equal("3", error.Trailers.GetValue("retry-after"));
        Assert.Equal(0ul, count);
        Assert.Equal((int)StatusCode.ResourceExhausted, _fake.Requests.First(r => r.Rpc == "Points/Count").StatusCode);
    }

    [Fact]
    public async Task Messages_over_4_MB_are_received()
    {
        await _client.CreateCollectionAsync("big", new VectorParams { Size = 4096, Distance = Distance.Dot });
        var points = Enumerable.Range(0, 400).Select(i => Point((ulong)i + 1, new float[4096])).ToList();

        await _client.UpsertAsync("big", points);

        Assert.Equal(400, _fake.PointCount("big"));
        Assert.True(_fake.Requests.Last(r => r.Rpc == "Points/Upsert").MessageBytes > 4 * 1024 * 1024);
    }

    private static string Text(RetrievedPoint p) => Text(p.Id);

    private static string Text(PointId id) => id.PointIdOptionsCase == PointId.PointIdOptionsOneofCase.Num ? id.Num.ToString(System.Globalization.CultureInfo.InvariantCulture) : id.Uuid;

    private static DenseVector Dense(params float[] values)
    {
        var dense = new DenseVector();
        dense.Data.Add(values);
        return dense;
    }

    private static PointStruct Point(ulong id, params float[] values) => new() { Id = new PointId { Num = id }, Vectors = new Vectors { Vector = new Vector { Dense = Dense(values) } } };

    private static PointStruct Point(Guid id, params float[] values) => new() { Id = new PointId { Uuid = id.ToString("D") }, Vectors = new Vectors { Vector = new Vector { Dense = Dense(values) } } };
}
