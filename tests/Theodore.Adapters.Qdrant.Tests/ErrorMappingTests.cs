using Grpc.Core;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Qdrant.Fake;

namespace Theodore.Adapters.Qdrant.Tests;

/// <summary>
/// Golden mapping of every gRPC status Qdrant documents (lib/storage/src/content_manager/conversions.rs, plus the auth
/// layer's UNAUTHENTICATED) to Theodore's error type, code, IsTransient and RetryAfter, served by the fake on a search.
/// </summary>
public sealed class ErrorMappingTests : IAsyncLifetime
{
    private QdrantFake _fake = null!;
    private QdrantVectorStorage _storage = null!;
    private IndexName _index = null!;

    public static TheoryData<StatusCode, string, string?, string?, Type, string, bool, double?> Statuses => new()
    {
        { StatusCode.NotFound, "Not found: Collection `x` doesn't exist!", null, null, typeof(IndexNotFoundException), ErrorCodes.IndexNotFound, false, null },
        { StatusCode.NotFound, "Not found: No point with id 7 found", null, null, typeof(RecordNotFoundException), ErrorCodes.RecordNotFound, false, null },
        { StatusCode.AlreadyExists, "Wrong input: Collection `x` already exists!", null, null, typeof(IndexAlreadyExistsException), ErrorCodes.IndexAlreadyExists, false, null },
        { StatusCode.InvalidArgument, "Wrong input: Vector dimension error: expected dim: 2, got 3", null, null, typeof(DimensionMismatchException), ErrorCodes.DimensionMismatch, false, null },
        { StatusCode.InvalidArgument, "Validation error in body: [limit: value 0 invalid, must be 1 or larger]", null, null, typeof(InvalidRequestException), ErrorCodes.InvalidRequest, false, null },
        { StatusCode.OutOfRange, "Wrong input: offset out of range", null, null, typeof(InvalidRequestException), ErrorCodes.InvalidRequest, false, null },
        { StatusCode.ResourceExhausted, "Rate limiting exceeded: Read rate limit exceeded", "retry-after", "7", typeof(RateLimitedException), ErrorCodes.RateLimited, true, 7.0 },
        { StatusCode.ResourceExhausted, "Rate limiting exceeded", null, null, typeof(RateLimitedException), ErrorCodes.RateLimited, true, null },
        { StatusCode.ResourceExhausted, "Out of disk space", "qdrant-insufficient-storage", "1", typeof(CapacityExceededException), ErrorCodes.CapacityExceeded, false, null },
        { StatusCode.Unavailable, "Service unavailable: No active replica for shard 0", null, null, typeof(StorageUnavailableException), ErrorCodes.StorageUnavailable, true, null },
        { StatusCode.Unavailable, "Service unavailable: overloaded", "retry-after", "2", typeof(StorageUnavailableException), ErrorCodes.StorageUnavailable, true, 2.0 },
        { StatusCode.Aborted, "Operation aborted", null, null, typeof(StorageUnavailableException), ErrorCodes.StorageUnavailable, true, null },
        { StatusCode.Cancelled, "Request cancelled by the server", null, null, typeof(StorageUnavailableException), ErrorCodes.StorageUnavailable, true, null },
        { StatusCode.DeadlineExceeded, "Timeout error: operation timed out", null, null, typeof(StorageTimeoutException), ErrorCodes.Timeout, true, null },
        { StatusCode.Unimplemented, "Not supported in standalone mode", null, null, typeof(UnsupportedOperationException), ErrorCodes.UnsupportedOperation, false, null },
        { StatusCode.PermissionDenied, "Forbidden: Access denied", null, null, typeof(VectorStorageException), ErrorCodes.BackendError, false, null },
        { StatusCode.Unauthenticated, "Must provide an API key or an Authorization bearer token", null, null, typeof(VectorStorageException), ErrorCodes.BackendError, false, null },
        { StatusCode.FailedPrecondition, "Write operations are forbidden", null, null, typeof(VectorStorageException), ErrorCodes.BackendError, false, null },
        { StatusCode.Internal, "Service internal error: boom", null, null, typeof(VectorStorageException), ErrorCodes.BackendError, false, null },
        { StatusCode.DataLoss, "Checksum mismatch", null, null, typeof(VectorStorageException), ErrorCodes.BackendError, false, null },
        { StatusCode.Unknown, "Unknown error", null, null, typeof(VectorStorageException), ErrorCodes.BackendError, false, null },
    };

    public async Task InitializeAsync()
    {
        _fake = await QdrantFake.StartAsync();
        _storage = SharedQdrantFake.Storage(_fake);
        _index = IndexName.Parse("errors");
        await _storage.CreateIndexAsync(new IndexDefinition(_index, 2, DistanceMetric.Cosine));
    }

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task Status_maps_to_the_documented_error(StatusCode status, string detail, string? trailer, string? trailerValue, Type expected, string code, bool transient, double? retryAfterSeconds)
    {
        _fake.FailNext(status, detail, rpc: "Points/Query", trailers: trailer is null ? null : new Dictionary<string, string>(StringComparer.Ordinal) { [trailer] = trailerValue! });

        var error = await Assert.ThrowsAnyAsync<VectorStorageException>(async () => await _storage.SearchAsync(_index, new float[] { 1, 0 }, new SearchOptions()));

        Assert.Equal(expected, error.GetType());
        Assert.Equal(code, error.Code);
        Assert.Equal(transient, error.IsTransient);
        Assert.Equal(retryAfterSeconds is null ? null : TimeSpan.FromSeconds(retryAfterSeconds.Value), error.RetryAfter);
        Assert.Equal(QdrantConstants.SystemName, error.SystemName);
        Assert.Equal("errors", error.Index);
        Assert.Equal("Search", error.Operation);
    }

    [Fact]
    public async Task Delete_of_a_missing_collection_answered_ok_false_maps_to_IndexNotFound()
    {
        var error = await Assert.ThrowsAsync<IndexNotFoundException>(async () => await _storage.DeleteIndexAsync(IndexName.Parse("never-created")));

        Assert.IsType<global::Qdrant.Client.QdrantException>(error.InnerException);
        Assert.False(error.IsTransient);
        Assert.Equal("DeleteIndex", error.Operation);
    }

    [Fact]
    public async Task Unreachable_server_is_transient_StorageUnavailable()
    {
        await using var nowhere = new QdrantVectorStorage(new QdrantOptions { Endpoint = "http://127.0.0.1:1", Timeout = TimeSpan.FromSeconds(5) });

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(async () => await nowhere.ListIndexesAsync());

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Deadline_from_the_timeout_option_is_transient_StorageTimeout()
    {
        await using var slowFake = await QdrantFake.StartAsync(new QdrantFakeOptions { ResponseDelay = TimeSpan.FromSeconds(2) });
        await using var impatient = SharedQdrantFake.Storage(slowFake, o => o.Timeout = TimeSpan.FromMilliseconds(200));

        var error = await Assert.ThrowsAsync<StorageTimeoutException>(async () => await impatient.ListIndexesAsync());

        Assert.True(error.IsTransient);
    }

    [Fact]
    public async Task Caller_cancellation_is_OperationCanceled_not_a_storage_error()
    {
        await using var slowFake = await QdrantFake.StartAsync(new QdrantFakeOptions { ResponseDelay = TimeSpan.FromSeconds(2) });
        await using var storage = SharedQdrantFake.Storage(slowFake);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await storage.ListIndexesAsync(cancel.Token));
    }

    [Fact]
    public async Task Health_of_an_unreachable_server_is_Unhealthy_not_an_exception()
    {
        await using var nowhere = new QdrantVectorStorage(new QdrantOptions { Endpoint = "http://127.0.0.1:1", Timeout = TimeSpan.FromSeconds(5) });

        var health = await nowhere.CheckHealthAsync();

        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Equal(QdrantConstants.SystemName, health.SystemName);
    }
}
