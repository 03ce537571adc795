using System.Text.Json.Nodes;
using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Pinecone.Tests;

/// <summary>What a mixed batch sends to Pinecone, and what it refuses before sending anything.</summary>
public sealed class RecordOperationsWireTests
{
    [Fact]
    public async Task Capabilities_offer_per_operation_batches_with_merge_only()
    {
        await using var scope = await FakeScope.StartAsync();
        var capabilities = scope.Storage.Capabilities;

        Assert.True(capabilities.MixedBatches);
        Assert.False(capabilities.ReplacesMetadata);
        Assert.False(capabilities.AtomicBatches);
        Assert.False(capabilities.SoftDelete);
        Assert.False(capabilities.Ttl);
        Assert.False(capabilities.Compaction);
        Assert.False(capabilities.OnlineRebuild);
        Assert.Same(scope.Storage, scope.Storage.GetService<IRecordOperationsStorage>());
        Assert.Null(scope.Storage.GetService<IIndexMaintenanceStorage>());
        Assert.Null(scope.Storage.GetService<IOnlineRebuildStorage>());
    }

    [Fact]
    public async Task A_merge_is_a_fetch_then_one_update_with_setMetadata_of_the_given_keys()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        await scope.Storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }, Metadata.Create([new("stage", "seed"), new("city", "Oslo")])), Namespace.Parse("ns1"));
        var mark = scope.Fake.Requests.Count;

        var result = await scope.Storage.ApplyAsync(
            index,
            [RecordOperation.UpdateMetadata(VectorId.Parse("a"), Metadata.Create([new("stage", "series-a"), new("tags", new[] { "x", "y" })]), MetadataUpdateMode.Merge)],
            Namespace.Parse("ns1"));

        Assert.True(result.Results[0].Applied);
        var sent = scope.RequestsSince(mark);
        Assert.Equal(2, sent.Count);
        Assert.Contains("/vectors/fetch", sent[0].Path, StringComparison.Ordinal);
        Assert.Equal("/vectors/update", sent[1].Path);
        var body = JsonNode.Parse(sent[1].Body!)!.AsObject();
        Assert.Equal("a", body["id"]!.GetValue<string>());
        Assert.Equal("ns1", body["namespace"]!.GetValue<string>());
        Assert.Equal("""{"stage":"series-a","tags":["x","y"]}""", body["setMetadata"]!.ToJsonString());
        Assert.Null(body["values"]);
        var stored = await scope.Storage.GetAsync(index, VectorId.Parse("a"), Namespace.Parse("ns1"));
        Assert.Equal(Metadata.Create([new("stage", "series-a"), new("city", "Oslo"), new("tags", new[] { "x", "y" })]), stored?.Metadata);
        Assert.Empty(scope.Fake.SpecViolations);
    }

    [Fact]
    public async Task A_merge_of_a_missing_record_sends_no_update_and_answers_record_not_found()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        var mark = scope.Fake.Requests.Count;

        var result = await scope.Storage.ApplyAsync(index, [RecordOperation.UpdateMetadata(VectorId.Parse("ghost"), Metadata.Create([new("k", "v")]), MetadataUpdateMode.Merge)]);

        Assert.Equal(ErrorCodes.RecordNotFound, result.Results[0].ErrorCode);
        Assert.DoesNotContain(scope.RequestsSince(mark), r => r.Path.Contains("/vectors/update", StringComparison.Ordinal));
    }

    public static TheoryData<string> Refusals => ["replace", "atomic", "soft-delete", "restore", "set-expiry", "upsert-expiry", "include-deleted"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_up_front_with_nothing_sent(string gap)
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        var first = RecordOperation.Upsert(new VectorRecord(VectorId.Parse("first"), new float[] { 1, 0 }));
        var id = VectorId.Parse("a");
        var mark = scope.Fake.Requests.Count;
        var storage = scope.Storage;

        Func<Task> call = gap switch
        {
            "replace" => async () => await storage.ApplyAsync(index, [first, RecordOperation.UpdateMetadata(id, Metadata.Empty, MetadataUpdateMode.Replace)]),
            "atomic" => async () => await storage.ApplyAsync(index, [first], options: OperationBatchOptions.AllOrNothing),
            "soft-delete" => async () => await storage.ApplyAsync(index, [first, RecordOperation.SoftDelete(id)]),
            "restore" => async () => await storage.ApplyAsync(index, [first, RecordOperation.Restore(id)]),
            "set-expiry" => async () => await storage.ApplyAsync(index, [first, RecordOperation.SetExpiry(id, DateTimeOffset.UtcNow)]),
            "upsert-expiry" => async () => await storage.UpsertManyAsync(index, [new VectorRecord(id, new float[] { 1, 0 }) { ExpiresAt = DateTimeOffset.UtcNow.AddDays(1) }]),
            "include-deleted" => async () => await storage.ListAsync(index, new ListRequest { IncludeDeleted = true }),
            _ => throw new ArgumentOutOfRangeException(nameof(gap), gap, "unknown gap"),
        };

        var error = await Assert.ThrowsAsync<UnsupportedOperationException>(call);

        Assert.Equal(ErrorCodes.UnsupportedOperation, error.Code);
        Assert.Equal("pinecone", error.SystemName);
        Assert.Empty(scope.RequestsSince(mark));
    }

    [Fact]
    public async Task A_dollar_key_in_a_merge_is_that_operation_s_error_and_the_batch_goes_on()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        await scope.Storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }));

        var result = await scope.Storage.ApplyAsync(
            index,
            [
                RecordOperation.UpdateMetadata(VectorId.Parse("a"), Metadata.Create([new("$bad", "x")]), MetadataUpdateMode.Merge),
                RecordOperation.Upsert(new VectorRecord(VectorId.Parse("zero"), new float[] { 0, 0 })),
                RecordOperation.Delete(VectorId.Parse("a")),
            ]);

        Assert.Equal([ErrorCodes.InvalidRequest, ErrorCodes.InvalidRequest, null], result.Results.Select(r => r.ErrorCode), StringComparer.Ordinal);
        Assert.Contains("operations[0].metadata.$bad", result.Results[0].ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("operations[1].record", result.Results[1].ErrorMessage, StringComparison.Ordinal);
        Assert.True(result.Results[2].Applied);
        Assert.Empty(scope.Fake.SpecViolations);
    }
}
