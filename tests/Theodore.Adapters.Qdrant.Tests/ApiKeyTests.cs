using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Qdrant.Fake;

namespace Theodore.Adapters.Qdrant.Tests;

public sealed class ApiKeyTests : IAsyncLifetime
{
    private const string Key = "s3cr3t-qdrant-key-8f2c";
    private QdrantFake _fake = null!;

    public async Task InitializeAsync() => _fake = await QdrantFake.StartAsync(new QdrantFakeOptions { ApiKey = Key });

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Every_call_carries_the_api_key_header()
    {
        await using var storage = SharedQdrantFake.Storage(_fake, o => o.ApiKey = Key);
        var index = IndexName.Parse("keyed");

        await storage.CreateIndexAsync(new IndexDefinition(index, 2, DistanceMetric.Cosine));
        await storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }));
        await storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions());
        await storage.CheckHealthAsync();

        Assert.NotEmpty(_fake.Requests);
        Assert.All(_fake.Requests, r => Assert.Equal(Key, r.ApiKey));
        Assert.All(_fake.Requests, r => Assert.Equal(0, r.StatusCode));
    }

    [Fact]
    public async Task Wrong_key_fails_non_transiently_and_no_message_or_string_shows_the_key()
    {
        var options = new QdrantOptions { Endpoint = _fake.Endpoint.ToString(), ApiKey = "wrong-" + Key };
        await using var storage = new QdrantVectorStorage(options);

        var error = await Assert.ThrowsAnyAsync<VectorStorageException>(async () => await storage.ListIndexesAsync());
        var health = await storage.CheckHealthAsync();

        Assert.False(error.IsTransient);
        Assert.Equal(ErrorCodes.BackendError, error.Code);
        Assert.DoesNotContain(Key, error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, health.Description ?? string.Empty, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, storage.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_key_configured_sends_no_header()
    {
        await using var open = await QdrantFake.StartAsync();
        await using var storage = SharedQdrantFake.Storage(open);

        await storage.ListIndexesAsync();

        Assert.All(open.Requests, r => Assert.Null(r.ApiKey));
    }
}
