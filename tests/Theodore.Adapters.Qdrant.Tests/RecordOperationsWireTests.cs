using Grpc.Core;
using Metadata = Theodore.Core.Domain.Metadata;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Qdrant.Fake;

namespace Theodore.Adapters.Qdrant.Tests;

/// <summary>What a mixed batch sends to Qdrant, what it refuses before sending anything, and how a failed call is reported.</summary>
public sealed class RecordOperationsWireTests : IAsyncLifetime
{
    private QdrantFake _fake = null!;

    public async Task InitializeAsync() => _fake = await QdrantFake.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task Capabilities_offer_per_operation_batches_and_nothing_else_new()
    {
        await using var storage = SharedQdrantFake.Storage(_fake);
        var capabilities = storage.Capabilities;

        Assert.True(capabilities.MixedBatches);
        Assert.True(capabilities.ReplacesMetadata);
        Assert.False(capabilities.AtomicBatches);
        Assert.False(capabilities.SoftDelete);
        Assert.False(capabilities.Ttl);
        Assert.False(capabilities.Compaction);
        Assert.False(capabilities.OnlineRebuild);
        Assert.Same(storage, storage.GetService<IRecordOperationsStorage>());
        Assert.Null(storage.GetService<IIndexMaintenanceStorage>());
    }

    [Fact]
    public async Task A_merge_sets_the_fields_under_metadata_then_the_derived_fields_and_a_replace_overwrites_the_payload()
    {
        await using var storage = SharedQdrantFake.Storage(_fake);
        var index = await CreateAsync(storage);
        await storage.UpsertAsync(index, Record("a", Meta(("stage", "seed"), ("city", "Oslo"))));
        await storage.UpsertAsync(index, Record("b", Meta(("stage", "seed"), ("city", "Rome"))));
        _fake.ClearRequests();

        var result = await storage.ApplyAsync(
            index,
            [
                RecordOperation.UpdateMetadata(VectorId.Parse("a"), Meta(("stage", 3), ("tags", new[] { "x" })), MetadataUpdateMode.Merge),
                RecordOperation.UpdateMetadata(VectorId.Parse("b"), Meta(("only", "this")), MetadataUpdateMode.Replace),
            ]);

        Assert.All(result.Results, r => Assert.True(r.Applied));
        Assert.Equal(["Points/Get", "Points/SetPayload", "Points/SetPayload", "Points/OverwritePayload"], _fake.Requests.Select(r => r.Rpc), StringComparer.Ordinal);
        Assert.Contains("\"key\": \"metadata\"", _fake.Requests[1].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("\"key\"", _fake.Requests[2].Message, StringComparison.Ordinal);
        Assert.Equal(Meta(("stage", 3), ("city", "Oslo"), ("tags", new[] { "x" })), (await storage.GetAsync(index, VectorId.Parse("a")))?.Metadata);
        Assert.Equal(Meta(("only", "this")), (await storage.GetAsync(index, VectorId.Parse("b")))?.Metadata);

        // the derived fields followed: "stage" is no longer a string of a, "city" no longer a key of b
        var startsWithSe = await storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { TopK = 10, Filter = Filter.StartsWith("stage", "se") });
        var hasCity = await storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { TopK = 10, Filter = Filter.Exists("city") });
        var tagged = await storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { TopK = 10, Filter = Filter.Contains("tags", "x") });
        Assert.Empty(startsWithSe.Matches);
        Assert.Equal(["a"], hasCity.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
        Assert.Equal(["a"], tagged.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
    }

    [Fact]
    public async Task A_replace_of_a_missing_record_is_record_not_found_from_Qdrant_s_answer()
    {
        await using var storage = SharedQdrantFake.Storage(_fake);
        var index = await CreateAsync(storage);
        _fake.ClearRequests();

        var result = await storage.ApplyAsync(index, [RecordOperation.UpdateMetadata(VectorId.Parse("ghost"), Meta(("k", "v")), MetadataUpdateMode.Replace)]);

        Assert.Equal(ErrorCodes.RecordNotFound, result.Results[0].ErrorCode);
        Assert.Contains("ghost", result.Results[0].ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(["Points/OverwritePayload"], _fake.Requests.Select(r => r.Rpc), StringComparer.Ordinal);
        Assert.Equal(0, _fake.PointCount(index.Value));
    }

    [Fact]
    public async Task A_failed_call_is_that_operation_s_error_and_the_batch_goes_on()
    {
        await using var storage = SharedQdrantFake.Storage(_fake);
        var index = await CreateAsync(storage);
        _fake.FailNext(StatusCode.Unavailable, "overloaded", rpc: "Points/Upsert");

        var result = await storage.ApplyAsync(index, [RecordOperation.Upsert(Record("a", Metadata.Empty)), RecordOperation.Upsert(Record("b", Metadata.Empty))]);

        Assert.Equal([ErrorCodes.StorageUnavailable, null], result.Results.Select(r => r.ErrorCode), StringComparer.Ordinal);
        Assert.Equal(1, result.Failed);
        Assert.Null(await storage.GetAsync(index, VectorId.Parse("a")));
        Assert.NotNull(await storage.GetAsync(index, VectorId.Parse("b")));
    }

    public static TheoryData<string> Refusals => ["atomic", "soft-delete", "restore", "set-expiry", "upsert-expiry", "upsert-many-expiry", "include-deleted", "fetch-deleted"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_up_front_with_nothing_sent(string gap)
    {
        await using var storage = SharedQdrantFake.Storage(_fake);
        var index = await CreateAsync(storage);
        var first = RecordOperation.Upsert(Record("first", Metadata.Empty));
        var id = VectorId.Parse("a");
        var expiring = Record("e", Metadata.Empty) with { ExpiresAt = DateTimeOffset.UtcNow.AddDays(1) };
        _fake.ClearRequests();

        Func<Task> call = gap switch
        {
            "atomic" => async () => await storage.ApplyAsync(index, [first], options: OperationBatchOptions.AllOrNothing),
            "soft-delete" => async () => await storage.ApplyAsync(index, [first, RecordOperation.SoftDelete(id)]),
            "restore" => async () => await storage.ApplyAsync(index, [first, RecordOperation.Restore(id)]),
            "set-expiry" => async () => await storage.ApplyAsync(index, [first, RecordOperation.SetExpiry(id, null)]),
            "upsert-expiry" => async () => await storage.UpsertAsync(index, expiring),
            "upsert-many-expiry" => async () => await storage.UpsertManyAsync(index, [Record("ok", Metadata.Empty), expiring]),
            "include-deleted" => async () => await storage.ListAsync(index, new ListRequest { IncludeDeleted = true }),
            "fetch-deleted" => async () => await storage.GetManyAsync(index, [id], includeDeleted: true),
            _ => throw new ArgumentOutOfRangeException(nameof(gap), gap, "unknown gap"),
        };

        var error = await Assert.ThrowsAsync<UnsupportedOperationException>(call);

        Assert.Equal("qdrant", error.SystemName);
        Assert.Empty(_fake.Requests);
    }

    private static async Task<IndexName> CreateAsync(QdrantVectorStorage storage)
    {
        var index = IndexName.Parse("t-" + Guid.NewGuid().ToString("N")[..16]);
        await storage.CreateIndexAsync(new IndexDefinition(index, 2, DistanceMetric.Euclidean));
        return index;
    }

    private static VectorRecord Record(string id, Metadata metadata) => new(VectorId.Parse(id), new float[] { 1, 0 }, metadata);

    private static Metadata Meta(params (string Key, MetadataValue Value)[] pairs) =>
        Metadata.Create(pairs.Select(p => new KeyValuePair<string, MetadataValue>(p.Key, p.Value)));
}
