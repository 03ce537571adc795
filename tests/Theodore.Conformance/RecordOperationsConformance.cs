using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Xunit;

namespace Theodore.Conformance;

/// <summary>
/// <see cref="IRecordOperationsStorage"/>: mixed batches with a result per operation, all or nothing when atomic, and
/// metadata merge or replace. Every test is gated by the capabilities: a backend with the flag must behave as the
/// reference (the Mock), one without must refuse with <see cref="UnsupportedOperationException"/> and apply nothing.
/// </summary>
public abstract class RecordOperationsConformance : ConformanceSuite
{
    [Fact]
    public void The_port_is_offered_exactly_when_MixedBatches_says_so()
    {
        var port = Storage.GetService<IRecordOperationsStorage>();

        Assert.Equal(Capabilities.MixedBatches, port is not null);
        if (port is null)
        {
            Assert.Throws<UnsupportedOperationException>(() => Storage.GetRequiredService<IRecordOperationsStorage>());
            Assert.False(Capabilities.AtomicBatches, "atomic batches without mixed batches");
        }
    }

    [Fact]
    public async Task ApplyAsync_non_atomic_applies_each_operation_in_order_with_its_own_result()
    {
        var ops = Port();
        if (ops is null)
        {
            return;
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0], Meta(("k", "a"))), Record("b", [2, 0], Meta(("k", "b"), ("n", 1))));

        var result = await ops.ApplyAsync(
            index,
            [
                RecordOperation.Upsert(Record("c", [3, 0], Meta(("k", "c")))),
                RecordOperation.Delete(Id("a")),
                RecordOperation.UpdateMetadata(Id("b"), Meta(("n", 2), ("new", true)), MetadataUpdateMode.Merge),
                RecordOperation.Delete(Id("never")),
                RecordOperation.UpdateMetadata(Id("never"), Meta(("n", 3)), MetadataUpdateMode.Merge),
                RecordOperation.Upsert(Record("bad", [1, 2, 3])),
                RecordOperation.Upsert(Record("d", [4, 0])),
            ]);
        await SettleAsync(index);

        Assert.False(result.Atomic);
        Assert.Equal(7, result.Requested);
        Assert.Equal([0, 1, 2, 3, 4, 5, 6], result.Results.Select(r => r.Position));
        Assert.Equal(["c", "a", "b", "never", "never", "bad", "d"], result.Results.Select(r => r.Id.Value), StringComparer.Ordinal);
        Assert.Equal(
            [RecordOperationKind.Upsert, RecordOperationKind.Delete, RecordOperationKind.UpdateMetadata, RecordOperationKind.Delete, RecordOperationKind.UpdateMetadata, RecordOperationKind.Upsert, RecordOperationKind.Upsert],
            result.Results.Select(r => r.Kind));
        Assert.Equal([true, true, true, false, false, false, true], result.Results.Select(r => r.Applied));
        Assert.Equal([null, null, null, null, ErrorCodes.RecordNotFound, ErrorCodes.DimensionMismatch, null], result.Results.Select(r => r.ErrorCode), StringComparer.Ordinal);
        Assert.Contains("never", result.Results[4].ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("operations[5]", result.Results[5].ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(5, result.Succeeded);
        Assert.Equal(2, result.Failed);
        Assert.True(result.Duration >= TimeSpan.Zero);

        Assert.Null(await Storage.GetAsync(index, Id("a")));
        Assert.Null(await Storage.GetAsync(index, Id("bad")));
        Assert.Null(await Storage.GetAsync(index, Id("never")));
        Assert.Equal(Meta(("k", "c")), (await Storage.GetAsync(index, Id("c")))?.Metadata);
        Assert.NotNull(await Storage.GetAsync(index, Id("d")));
        var b = await Storage.GetAsync(index, Id("b"));
        Assert.NotNull(b);
        Assert.Equal(Meta(("k", "b"), ("n", 2), ("new", true)), b.Metadata);
        AssertStoredValues([2, 0], b.Values, DistanceMetric.Euclidean);
        Assert.Equal(3, (await Storage.DescribeIndexAsync(index)).VectorCount);
    }

    [Fact]
    public async Task ApplyAsync_merged_metadata_is_what_filters_see()
    {
        var ops = Port();
        if (ops is null)
        {
            return;
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0], Meta(("stage", "seed"), ("tags", new[] { "ai" }))), Record("b", [2, 0], Meta(("stage", "seed"))));

        await ops.ApplyAsync(index, [RecordOperation.UpdateMetadata(Id("a"), Meta(("stage", "series-a"), ("city", "Oslo")), MetadataUpdateMode.Merge)]);
        await SettleAsync(index);

        var seriesA = await SearchAsync(index, [0, 0], new SearchOptions { TopK = 10, Filter = Filter.Eq("stage", "series-a") });
        var seed = await SearchAsync(index, [0, 0], new SearchOptions { TopK = 10, Filter = Filter.Eq("stage", "seed") });

        Assert.Equal(["a"], IdsOf(seriesA));
        Assert.Equal(["b"], IdsOf(seed));
        if (Capabilities.FilterOperators.Contains(FilterOperator.Exists))
        {
            var hasCity = await SearchAsync(index, [0, 0], new SearchOptions { TopK = 10, Filter = Filter.Exists("city") });
            Assert.Equal(["a"], IdsOf(hasCity));
        }

        if (Capabilities.FilterOperators.Contains(FilterOperator.Contains))
        {
            var tagged = await SearchAsync(index, [0, 0], new SearchOptions { TopK = 10, Filter = Filter.Contains("tags", "ai") });
            Assert.Equal(["a"], IdsOf(tagged));
        }
    }

    [Fact]
    public async Task ApplyAsync_replace_metadata_replaces_it_whole_or_is_refused_up_front()
    {
        var ops = Port();
        if (ops is null)
        {
            return;
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0], Meta(("stage", "seed"), ("city", "Oslo"))));
        IReadOnlyList<RecordOperation> batch =
        [
            RecordOperation.Upsert(Record("z", [5, 0])),
            RecordOperation.UpdateMetadata(Id("a"), Meta(("stage", "series-a")), MetadataUpdateMode.Replace),
            RecordOperation.UpdateMetadata(Id("missing"), Meta(("stage", "x")), MetadataUpdateMode.Replace),
        ];

        if (!Capabilities.ReplacesMetadata)
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await ops.ApplyAsync(index, batch));
            await SettleAsync(index);
            Assert.Null(await Storage.GetAsync(index, Id("z")));
            Assert.Equal(Meta(("stage", "seed"), ("city", "Oslo")), (await Storage.GetAsync(index, Id("a")))?.Metadata);
            return;
        }

        var result = await ops.ApplyAsync(index, batch);
        await SettleAsync(index);

        Assert.Equal([true, true, false], result.Results.Select(r => r.Applied));
        Assert.Equal(ErrorCodes.RecordNotFound, result.Results[2].ErrorCode);
        var a = await Storage.GetAsync(index, Id("a"));
        Assert.NotNull(a);
        Assert.Equal(Meta(("stage", "series-a")), a.Metadata);
        AssertStoredValues([1, 0], a.Values, DistanceMetric.Euclidean);
        if (Capabilities.FilterOperators.Contains(FilterOperator.Exists))
        {
            Assert.Empty((await SearchAsync(index, [0, 0], new SearchOptions { TopK = 10, Filter = Filter.Exists("city") })).Matches);
        }
    }

    [Fact]
    public async Task ApplyAsync_atomic_applies_everything_in_order_or_is_refused_up_front()
    {
        var ops = Port();
        if (ops is null)
        {
            return;
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [2, 0], Meta(("n", 1))));
        IReadOnlyList<RecordOperation> batch =
        [
            RecordOperation.Upsert(Record("x", [3, 0])),
            RecordOperation.UpdateMetadata(Id("x"), Meta(("made", "in-batch")), MetadataUpdateMode.Merge),
            RecordOperation.Delete(Id("a")),
            RecordOperation.UpdateMetadata(Id("b"), Meta(("n", 2)), MetadataUpdateMode.Merge),
        ];

        if (!Capabilities.AtomicBatches)
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await ops.ApplyAsync(index, batch, options: OperationBatchOptions.AllOrNothing));
            await SettleAsync(index);
            await AssertUntouchedAsync(index);
            return;
        }

        var result = await ops.ApplyAsync(index, batch, options: OperationBatchOptions.AllOrNothing);
        await SettleAsync(index);

        Assert.True(result.Atomic);
        Assert.All(result.Results, r => Assert.True(r.Applied));
        Assert.Equal(4, result.Succeeded);
        Assert.Equal(Meta(("made", "in-batch")), (await Storage.GetAsync(index, Id("x")))?.Metadata);
        Assert.Null(await Storage.GetAsync(index, Id("a")));
        Assert.Equal(Meta(("n", 2)), (await Storage.GetAsync(index, Id("b")))?.Metadata);
    }

    [Fact]
    public async Task ApplyAsync_atomic_with_a_missing_record_is_refused_whole_naming_it()
    {
        var ops = Port();
        if (ops is null || !Capabilities.AtomicBatches)
        {
            return; // the refusal without the capability: ApplyAsync_atomic_applies_everything_in_order_or_is_refused_up_front
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [2, 0], Meta(("n", 1))));

        var refused = await Assert.ThrowsAsync<RecordNotFoundException>(async () => await ops.ApplyAsync(
            index,
            [
                RecordOperation.Upsert(Record("x", [3, 0])),
                RecordOperation.Delete(Id("a")),
                RecordOperation.UpdateMetadata(Id("missing"), Meta(("n", 9)), MetadataUpdateMode.Merge),
                RecordOperation.UpdateMetadata(Id("b"), Meta(("n", 2)), MetadataUpdateMode.Merge),
            ],
            options: OperationBatchOptions.AllOrNothing));
        await SettleAsync(index);

        Assert.Equal(ErrorCodes.RecordNotFound, refused.Code);
        Assert.Contains("operations[2]", refused.Message, StringComparison.Ordinal);
        Assert.Contains("missing", refused.Message, StringComparison.Ordinal);
        await AssertUntouchedAsync(index);
    }

    [Fact]
    public async Task ApplyAsync_atomic_with_bad_input_is_refused_whole_listing_every_problem()
    {
        var ops = Port();
        if (ops is null || !Capabilities.AtomicBatches)
        {
            return; // the refusal without the capability: ApplyAsync_atomic_applies_everything_in_order_or_is_refused_up_front
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [2, 0], Meta(("n", 1))));

        var refused = await Assert.ThrowsAnyAsync<InvalidRequestException>(async () => await ops.ApplyAsync(
            index,
            [
                RecordOperation.Upsert(Record("x", [3, 0])),
                RecordOperation.Upsert(Record("y", [float.NaN, 0])),
                RecordOperation.Delete(Id("a")),
                RecordOperation.Upsert(Record("z", [1, 2, 3])),
            ],
            options: OperationBatchOptions.AllOrNothing));
        await SettleAsync(index);

        Assert.Equal(2, refused.Errors.Count);
        Assert.StartsWith("operations[1]", refused.Errors[0].Path, StringComparison.Ordinal);
        Assert.StartsWith("operations[3]", refused.Errors[1].Path, StringComparison.Ordinal);
        await AssertUntouchedAsync(index);
    }

    [Fact]
    public async Task ApplyAsync_more_operations_than_the_limit_is_refused_with_nothing_applied()
    {
        var ops = Port();
        if (ops is null)
        {
            return;
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        var batch = Enumerable.Range(0, OperationBatchOptions.MaxOperations + 1).Select(i => RecordOperation.Upsert(Record($"r{i}", [i + 1, 0]))).ToArray();

        var refused = await Assert.ThrowsAnyAsync<InvalidRequestException>(async () => await ops.ApplyAsync(index, batch));
        await SettleAsync(index);

        Assert.Contains("operations", refused.Errors[0].Path, StringComparison.Ordinal);
        Assert.Equal(0, (await Storage.DescribeIndexAsync(index)).VectorCount);
    }

    [Fact]
    public async Task ApplyAsync_missing_index_throws_IndexNotFound()
    {
        var ops = Port();
        if (ops is null)
        {
            return;
        }

        await Assert.ThrowsAsync<IndexNotFoundException>(async () => await ops.ApplyAsync(UniqueIndexName(), [RecordOperation.Upsert(Record("a", [1, 0]))]));
    }

    [Fact]
    public async Task ApplyAsync_keeps_namespaces_apart()
    {
        var ops = Port();
        if (ops is null || !Capabilities.SupportsNamespaces)
        {
            return;
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Ns("left"), Record("a", [1, 0], Meta(("side", "left"))));
        await UpsertAsync(index, Ns("right"), Record("a", [1, 0], Meta(("side", "right"))));

        var result = await ops.ApplyAsync(
            index,
            [RecordOperation.UpdateMetadata(Id("a"), Meta(("touched", true)), MetadataUpdateMode.Merge), RecordOperation.Delete(Id("b"))],
            Ns("left"));
        await SettleAsync(index);

        Assert.True(result.Results[0].Applied);
        Assert.Equal(Meta(("side", "left"), ("touched", true)), (await Storage.GetAsync(index, Id("a"), Ns("left")))?.Metadata);
        Assert.Equal(Meta(("side", "right")), (await Storage.GetAsync(index, Id("a"), Ns("right")))?.Metadata);
    }

    [Fact]
    public async Task Soft_delete_and_restore_without_the_capability_are_refused_with_nothing_applied()
    {
        if (Capabilities.SoftDelete)
        {
            return; // the behaviour is SoftDeleteConformance's
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]));

        await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await ListPageAsync(index, new ListRequest { IncludeDeleted = true }));
        var ops = Port();
        if (ops is null)
        {
            return;
        }

        foreach (var refused in new[] { RecordOperation.SoftDelete(Id("a")), RecordOperation.Restore(Id("a")) })
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await ops.ApplyAsync(index, [RecordOperation.Upsert(Record("new", [2, 0])), refused]));
        }

        await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await ops.GetManyAsync(index, [Id("a")], includeDeleted: true));
        await SettleAsync(index);
        Assert.Null(await Storage.GetAsync(index, Id("new")));
        Assert.Equal(["a"], IdsOf(await ops.GetManyAsync(index, [Id("a")], includeDeleted: false)));
        Assert.NotNull(await Storage.GetAsync(index, Id("a")));
    }

    [Fact]
    public async Task Expiry_without_the_capability_is_refused_with_nothing_applied()
    {
        if (Capabilities.Ttl)
        {
            return; // the behaviour is ExpiryConformance's
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]));
        var expiring = Record("e", [3, 0]) with { ExpiresAt = Now.AddHours(1) };

        await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await Storage.UpsertAsync(index, expiring));
        if (Storage.GetService<IBatchVectorStorage>() is { } batch)
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await batch.UpsertManyAsync(index, [Record("new", [2, 0]), expiring]));
        }

        var ops = Port();
        if (ops is not null)
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await ops.ApplyAsync(index, [RecordOperation.Upsert(Record("new", [2, 0])), RecordOperation.Upsert(expiring)]));
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await ops.ApplyAsync(index, [RecordOperation.Upsert(Record("new", [2, 0])), RecordOperation.SetExpiry(Id("a"), Now.AddHours(1))]));
        }

        await SettleAsync(index);
        Assert.Null(await Storage.GetAsync(index, Id("new")));
        Assert.Null(await Storage.GetAsync(index, Id("e")));
        Assert.Equal(1, (await Storage.DescribeIndexAsync(index)).VectorCount);
    }

    /// <summary>The port, or (when the backend has none) proof that it says so and refuses it.</summary>
    protected IRecordOperationsStorage? Port()
    {
        var port = PortOrAssertUnsupported<IRecordOperationsStorage>();
        Assert.Equal(Capabilities.MixedBatches, port is not null);
        return port;
    }

    /// <summary>The state the atomic tests start from: a [1,0], b [2,0] {n:1}, nothing else.</summary>
    private async Task AssertUntouchedAsync(IndexName index)
    {
        Assert.NotNull(await Storage.GetAsync(index, Id("a")));
        Assert.Equal(Meta(("n", 1)), (await Storage.GetAsync(index, Id("b")))?.Metadata);
        Assert.Null(await Storage.GetAsync(index, Id("x")));
        Assert.Null(await Storage.GetAsync(index, Id("y")));
        Assert.Equal(2, (await Storage.DescribeIndexAsync(index)).VectorCount);
    }
}
