using System.Net;
using System.Net.Http.Headers;
using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Pinecone.Fake;

namespace Theodore.Adapters.Pinecone.Tests;

/// <summary>
/// Golden mapping of every status the 2026-04 spec and docs name, on both planes and in both error body shapes:
/// the Theodore error type, IsTransient and RetryAfter, and never the API key in a message.
/// </summary>
public sealed class ErrorMappingTests
{
    public static TheoryData<int, string?, Type, bool, double?> Statuses => new()
    {
        { 400, null, typeof(InvalidRequestException), false, null },
        { 401, null, typeof(VectorStorageException), false, null },
        { 402, null, typeof(CapacityExceededException), false, null },
        { 403, null, typeof(VectorStorageException), false, null },
        { 404, null, typeof(IndexNotFoundException), false, null },
        { 409, null, typeof(IndexAlreadyExistsException), false, null },
        { 412, null, typeof(InvalidRequestException), false, null },
        { 422, null, typeof(InvalidRequestException), false, null },
        { 429, "3", typeof(RateLimitedException), true, 3 },
        { 429, null, typeof(RateLimitedException), true, null },
        { 500, null, typeof(StorageUnavailableException), true, null },
        { 502, "1", typeof(StorageUnavailableException), true, 1 },
        { 503, "7", typeof(StorageUnavailableException), true, 7 },
        { 504, null, typeof(StorageTimeoutException), true, null },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task Data_plane_status_maps_to_the_documented_error(int status, string? retryAfter, Type expected, bool transient, double? seconds)
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        scope.Fake.InjectFault(new FakeFault(status, retryAfter, Plane: "data"));

        var error = await Assert.ThrowsAnyAsync<VectorStorageException>(async () => await scope.Storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions()));

        AssertMapped(error, expected, transient, seconds, scope.Fake.ApiKey);
        Assert.Equal(index.Value, error.Index);
        Assert.Equal("Search", error.Operation);
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public async Task Control_plane_status_maps_to_the_documented_error(int status, string? retryAfter, Type expected, bool transient, double? seconds)
    {
        await using var scope = await FakeScope.StartAsync();
        scope.Fake.InjectFault(new FakeFault(status, retryAfter, Plane: "control"));

        var error = await Assert.ThrowsAnyAsync<VectorStorageException>(async () => await scope.Storage.CreateIndexAsync(new IndexDefinition(IndexName.Parse("golden"), 2, DistanceMetric.Cosine)));

        AssertMapped(error, expected, transient, seconds, scope.Fake.ApiKey);
        Assert.Equal("CreateIndex", error.Operation);
    }

    [Fact]
    public async Task Data_plane_dimension_refusal_maps_to_DimensionMismatch_and_forgets_the_cached_definition()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        scope.Fake.InjectFault(new FakeFault(400, Plane: "data", Body: """{"code":3,"message":"Vector dimension 3 does not match the dimension of the index 2","details":[]}"""));

        await Assert.ThrowsAsync<DimensionMismatchException>(async () => await scope.Storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions()));
        var mark = scope.Fake.Requests.Count;
        await scope.Storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions());

        Assert.Equal(["/indexes/" + index.Value, "/query"], scope.RequestsSince(mark).Select(r => r.Path), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Wrong_api_key_is_a_non_transient_error_that_never_shows_the_key()
    {
        await using var scope = await FakeScope.StartAsync(tweak: o => o.ApiKey = "pcsk_wrong-secret-0123456789");

        var error = await Assert.ThrowsAnyAsync<VectorStorageException>(async () => await scope.Storage.ListIndexesAsync());
        var health = await scope.Storage.CheckHealthAsync();

        Assert.False(error.IsTransient);
        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pcsk_wrong-secret", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.DoesNotContain("pcsk_wrong-secret", health.Description ?? string.Empty, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"error":{"code":"NOT_FOUND","message":"Index example-index not found."},"status":404}""", "NOT_FOUND", "Index example-index not found.")]
    [InlineData("""{"code":5,"message":"Namespace not found","details":[]}""", "5", "Namespace not found")]
    [InlineData("""{"detail":"upstream detail"}""", null, "upstream detail")]
    [InlineData("Unauthorized", null, "Unauthorized")]
    [InlineData("", null, "NotFound")]
    public void Both_error_body_shapes_plain_text_and_no_body_are_read(string body, string? code, string text)
    {
        var error = PineconeErrors.FromStatus(HttpStatusCode.NotFound, body, null, new ErrorContext("Describe", "idx", "key"), TimeProvider.System);

        Assert.IsType<IndexNotFoundException>(error);
        Assert.Contains(text, error.Message, StringComparison.Ordinal);
        if (code is not null)
        {
            Assert.Contains(code, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Retry_after_as_an_http_date_is_the_wait_until_then()
    {
        var now = new DateTimeOffset(2026, 12, 5, 6, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(42));

        var error = PineconeErrors.FromStatus(HttpStatusCode.TooManyRequests, null, response.Headers, new ErrorContext("Search", "idx", "key"), new FixedTime(now));

        Assert.IsType<RateLimitedException>(error);
        Assert.Equal(TimeSpan.FromSeconds(42), error.RetryAfter);
    }

    [Fact]
    public void Deletion_protection_403_is_an_invalid_request_not_an_auth_error()
    {
        var error = PineconeErrors.FromStatus(
            HttpStatusCode.Forbidden,
            """{"error":{"code":"FORBIDDEN","message":"Deletion protection is enabled for this index. Disable deletion protection before retrying."},"status":403}""",
            null,
            new ErrorContext("DeleteIndex", "idx", "key"),
            TimeProvider.System);

        Assert.IsType<InvalidRequestException>(error);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public void A_message_that_echoes_the_key_is_scrubbed()
    {
        var error = PineconeErrors.FromStatus(HttpStatusCode.BadRequest, """{"code":3,"message":"bad header Api-Key: sekret-123"}""", null, new ErrorContext("Search", "idx", "sekret-123"), TimeProvider.System);

        Assert.DoesNotContain("sekret-123", error.Message, StringComparison.Ordinal);
        Assert.Contains("***", error.Message, StringComparison.Ordinal);
    }

    private static void AssertMapped(VectorStorageException error, Type expected, bool transient, double? seconds, string apiKey)
    {
        Assert.IsType(expected, error);
        Assert.Equal(transient, error.IsTransient);
        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), error.RetryAfter);
        Assert.Equal(PineconeConstants.SystemName, error.SystemName);
        Assert.DoesNotContain(apiKey, error.ToString(), StringComparison.Ordinal);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
