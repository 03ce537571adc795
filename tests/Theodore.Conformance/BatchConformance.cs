using System.Collections.Concurrent;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Xunit;

namespace Theodore.Conformance;

/// <summary>
/// <see cref="IBatchVectorStorage"/>: per-item errors instead of all-or-nothing, progress per chunk, request order,
/// and deletes that count what existed. A backend without the port must refuse it with UnsupportedOperationException.
/// </summary>
public abstract class BatchConformance : ConformanceSuite
{
    [Fact]
    public async Task UpsertManyAsync_some_items_invalid_writes_the_valid_ones_and_lists_each_invalid_one()
    {
        var batch = PortOrAssertUnsupported<IBatchVectorStorage>();
        if (batch is null)
        {
            return;
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        var records = Enumerable.Range(0, 30).Select(i => Record($"r{i:D2}", [i, 1])).ToArray();
        records[3] = Record("r03", [float.NaN, 1]);
        records[17] = Record("r17", [1, 2, 3]);
        records[25] = Record("r25", [float.PositiveInfinity, 0]);

        var result = await batch.UpsertManyAsync(index, records);
        await SettleAsync(index);

        Assert.Equal(30, result.Requested);
        Assert.Equal(27, result.Succeeded);
        Assert.False(result.IsComplete);
        Assert.Equal([3, 17, 25], result.Errors.Select(e => e.Position).Order().ToArray());
        var byPosition = result.Errors.ToDictionary(e => e.Position);
        Assert.Equal("r17", byPosition[17].Id);
        Assert.Equal(ErrorCodes.DimensionMismatch, byPosition[17].Code);
        Assert.Equal(ErrorCodes.InvalidRequest, byPosition[3].Code);
        Assert.All(result.Errors, e => Assert.False(e.IsTransient));
        Assert.Null(await Storage.GetAsync(index, Id("r03")));
        Assert.Null(await Storage.GetAsync(index, Id("r17")));
        Assert.NotNull(await Storage.GetAsync(index, Id("r04")));
        Assert.Equal(27, (await Storage.DescribeIndexAsync(index)).VectorCount);
    }

    [Fact]
    public async Task UpsertManyAsync_small_chunks_reports_progress_for_each_chunk_up_to_the_total()
    {
        var batch = PortOrAssertUnsupported<IBatchVectorStorage>();
        if (batch is null)
        {
            return;
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        var records = Enumerable.Range(0, 25).Select(i => Record($"r{i:D2}", [i + 1, 0])).ToArray();
        records[12] = Record("r12", [0, 0, 0]);
        var reports = new ConcurrentQueue<BatchProgress>();

        var result = await batch.UpsertManyAsync(index, records, options: new BatchOptions { MaxChunkRecords = 10 }, progress: new Collect(reports));

        Assert.Equal(24, result.Succeeded);
        Assert.True(reports.Count >= 3, $"expected a report per chunk of 10 out of 25, got {reports.Count}");
        Assert.All(reports, r => Assert.Equal(25, r.Total));
        var last = reports.MaxBy(r => r.Completed + r.Failed);
        Assert.Equal(24, last.Completed);
        Assert.Equal(1, last.Failed);
    }

    [Fact]
    public async Task UpsertManyAsync_empty_list_succeeds_with_nothing_written()
    {
        var batch = PortOrAssertUnsupported<IBatchVectorStorage>();
        if (batch is null)
        {
            return;
        }

        var index = await CreateIndexAsync();

        var result = await batch.UpsertManyAsync(index, []);

        Assert.Equal(0, result.Requested);
        Assert.True(result.IsComplete);
    }

    [Fact]
    public async Task UpsertManyAsync_missing_index_throws_IndexNotFound()
    {
        var batch = PortOrAssertUnsupported<IBatchVectorStorage>();
        if (batch is null)
        {
            return;
        }

        var missing = UniqueIndexName();

        await Assert.ThrowsAsync<IndexNotFoundException>(async () => await batch.UpsertManyAsync(missing, [Record("a", [1, 0])]));
    }

    [Fact]
    public async Task GetManyAsync_returns_the_found_records_in_request_order_and_leaves_out_missing_ids()
    {
        var batch = PortOrAssertUnsupported<IBatchVectorStorage>();
        if (batch is null)
        {
            return;
        }

        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await batch.UpsertManyAsync(index, [Record("a", [1, 0], Meta(("k", "a"))), Record("b", [2, 0]), Record("c", [3, 0])]);
        await SettleAsync(index);

        var found = await batch.GetManyAsync(index, [Id("c"), Id("missing"), Id("a")]);

        Assert.Equal(["c", "a"], IdsOf(found));
        AssertStoredValues([3, 0], found[0].Values, DistanceMetric.Euclidean);
        Assert.Equal(Meta(("k", "a")), found[1].Metadata);
    }

    [Fact]
    public async Task DeleteManyAsync_counts_only_records_that_existed()
    {
        var batch = PortOrAssertUnsupported<IBatchVectorStorage>();
        if (batch is null)
        {
            return;
        }

        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [0, 1]), Record("c", [1, 1]));

        var result = await batch.DeleteManyAsync(index, [Id("a"), Id("zzz"), Id("c")]);
        await SettleAsync(index);

        Assert.Equal(3, result.Requested);
        Assert.Equal(2, result.Succeeded);
        Assert.Null(await Storage.GetAsync(index, Id("a")));
        Assert.NotNull(await Storage.GetAsync(index, Id("b")));
        Assert.Null(await Storage.GetAsync(index, Id("c")));
    }

    [Fact]
    public async Task DeleteByFilterAsync_removes_exactly_the_matching_records_or_is_refused()
    {
        var batch = PortOrAssertUnsupported<IBatchVectorStorage>();
        if (batch is null)
        {
            return;
        }

        var index = await CreateIndexAsync();
        await UpsertAsync(
            index,
            Record("a", [1, 0], Meta(("industry", "fintech"))),
            Record("b", [0, 1], Meta(("industry", "health"))),
            Record("c", [1, 1], Meta(("industry", "fintech"))),
            Record("d", [1, 2]));
        var filter = Filter.Eq("industry", "fintech");

        if (!Capabilities.SupportsDeleteByFilter)
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await batch.DeleteByFilterAsync(index, filter));
            return;
        }

        var deleted = await batch.DeleteByFilterAsync(index, filter);
        await SettleAsync(index);

        Assert.Equal(2, deleted);
        Assert.Null(await Storage.GetAsync(index, Id("a")));
        Assert.Null(await Storage.GetAsync(index, Id("c")));
        Assert.NotNull(await Storage.GetAsync(index, Id("b")));
        Assert.NotNull(await Storage.GetAsync(index, Id("d")));
    }

    [Fact]
    public async Task DeleteByFilterAsync_filter_over_the_limits_throws_InvalidFilter()
    {
        var batch = PortOrAssertUnsupported<IBatchVectorStorage>();
        if (batch is null || !Capabilities.SupportsDeleteByFilter)
        {
            return;
        }

        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0], Meta(("n", 1))));
        var tooWide = Filter.In("n", Enumerable.Range(0, FilterLimits.MaxListLength + 1).Select(i => (MetadataValue)i).ToArray());

        await Assert.ThrowsAsync<InvalidFilterException>(async () => await batch.DeleteByFilterAsync(index, tooWide));
        Assert.NotNull(await Storage.GetAsync(index, Id("a")));
    }

    [Fact]
    public async Task DeleteAllAsync_removes_every_record_and_returns_how_many()
    {
        var batch = PortOrAssertUnsupported<IBatchVectorStorage>();
        if (batch is null)
        {
            return;
        }

        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [0, 1]), Record("c", [1, 1]));

        var deleted = await batch.DeleteAllAsync(index);
        await SettleAsync(index);

        Assert.Equal(3, deleted);
        Assert.Equal(0, (await Storage.DescribeIndexAsync(index)).VectorCount);
        Assert.Empty((await SearchAsync(index, [1, 0])).Matches);
    }

    private sealed class Collect(ConcurrentQueue<BatchProgress> reports) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => reports.Enqueue(value);
    }
}
