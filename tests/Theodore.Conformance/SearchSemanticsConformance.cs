using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Xunit;

namespace Theodore.Conformance;

/// <summary>
/// What a score means on each metric, the one result order, top-k, offset, threshold, include flags and search by id.
/// The data sets are small enough that an approximate index (HNSW) finds the exact answer; exact search is tested too.
/// </summary>
public abstract class SearchSemanticsConformance : ConformanceSuite
{
    [Theory]
    [InlineData(DistanceMetric.Cosine, new float[] { 1, 0 }, new float[] { 0.6f, 0.8f }, 0.6, 0.4)]
    [InlineData(DistanceMetric.Cosine, new float[] { 1, 0 }, new float[] { -2, 0 }, -1.0, 2.0)]
    [InlineData(DistanceMetric.Euclidean, new float[] { 0, 0 }, new float[] { 3, 4 }, 1.0 / 6, 5.0)]
    [InlineData(DistanceMetric.Manhattan, new float[] { 0, 0 }, new float[] { 3, 4 }, 1.0 / 8, 7.0)]
    [InlineData(DistanceMetric.DotProduct, new float[] { 1, 2 }, new float[] { 3, 4 }, 11.0, null)]
    [InlineData(DistanceMetric.DotProduct, new float[] { 1, 2 }, new float[] { -3, 1 }, -1.0, null)]
    public async Task SearchAsync_score_and_distance_follow_the_metric_formula(DistanceMetric metric, float[] query, float[] stored, double score, double? distance)
    {
        if (!Capabilities.Metrics.Contains(metric))
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await CreateIndexAsync(2, metric));
            return;
        }

        var index = await CreateIndexAsync(2, metric);
        await UpsertAsync(index, Record("only", stored));

        var result = await SearchAsync(index, query);

        var match = Assert.Single(result.Matches);
        AssertClose(score, match.Score, "score");
        if (distance is null)
        {
            Assert.Null(match.Distance);
        }
        else
        {
            AssertClose(distance.Value, match.Distance, "distance");
        }
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.DotProduct)]
    [InlineData(DistanceMetric.Manhattan)]
    public async Task SearchAsync_small_index_finds_the_brute_force_top_k_in_order(DistanceMetric metric)
    {
        if (!Capabilities.Metrics.Contains(metric))
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await CreateIndexAsync(4, metric));
            return;
        }

        var index = await CreateIndexAsync(4, metric);
        var random = new Random(7);
        var records = Enumerable.Range(0, 60).Select(i => Record($"r{i:D2}", RandomVector(random, 4))).ToArray();
        await UpsertAsync(index, records);
        var query = RandomVector(random, 4);
        var expected = records
            .Select(r => (Id: r.Id.Value, Scoring.Exact(metric, query, r.Values.Span).Score))
            .OrderByDescending(x => x.Score).ThenBy(x => x.Id, StringComparer.Ordinal)
            .Take(7).ToArray();

        var result = await SearchAsync(index, query, new SearchOptions { TopK = 7 });

        Assert.Equal(expected.Select(e => e.Id), IdsOf(result), StringComparer.Ordinal);
        for (var i = 0; i < expected.Length; i++)
        {
            AssertClose(expected[i].Score, result.Matches[i].Score, $"score of {expected[i].Id}");
        }
    }

    [Fact]
    public async Task SearchAsync_exact_search_is_not_approximate_and_scores_exactly_or_is_refused()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 1]), Record("b", [4, 5]), Record("c", [7, 9]));
        var options = new SearchOptions { Exact = true, TopK = 3 };

        if (!Capabilities.SupportsExactSearch)
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await SearchAsync(index, [1, 1], options));
            return;
        }

        var result = await SearchAsync(index, [1, 1], options);

        Assert.False(result.Approximate);
        Assert.Equal(["a", "b", "c"], IdsOf(result));
        AssertClose(1, result.Matches[0].Score);
        AssertClose(1.0 / 6, result.Matches[1].Score);
        AssertClose(1.0 / 11, result.Matches[2].Score);
        Assert.True(result.Took >= TimeSpan.Zero);
    }

    [Fact]
    public async Task SearchAsync_equal_scores_are_ordered_by_id()
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("b", [1, 0]), Record("d", [0, 1]), Record("a", [2, 0]), Record("c", [1, 0]), Record("B", [3, 0]));

        var result = await SearchAsync(index, [1, 0]);

        Assert.Equal(["B", "a", "b", "c", "d"], IdsOf(result));
        Assert.Equal(result.Matches.Order(SearchResult.Order), result.Matches);
    }

    [Fact]
    public async Task SearchAsync_top_k_returns_only_the_best()
    {
        var index = await CreateIndexAsync(1, DistanceMetric.Euclidean);
        await UpsertAsync(index, Enumerable.Range(0, 10).Select(i => Record($"r{i}", [i + 1])).ToArray());

        var result = await SearchAsync(index, [1], new SearchOptions { TopK = 3 });

        Assert.Equal(["r0", "r1", "r2"], IdsOf(result));
    }

    [Fact]
    public async Task SearchAsync_offset_skips_the_best_matches_or_is_refused()
    {
        var index = await CreateIndexAsync(1, DistanceMetric.Euclidean);
        await UpsertAsync(index, Enumerable.Range(0, 10).Select(i => Record($"r{i}", [i + 1])).ToArray());
        var options = new SearchOptions { TopK = 3, Offset = 2 };

        if (!Capabilities.SupportsOffset)
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await SearchAsync(index, [1], options));
            return;
        }

        var result = await SearchAsync(index, [1], options);

        Assert.Equal(["r2", "r3", "r4"], IdsOf(result));
    }

    [Fact]
    public async Task SearchAsync_score_threshold_drops_matches_scoring_below_it()
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("same", [1, 0]), Record("close", [0.8f, 0.6f]), Record("orthogonal", [0, 1]), Record("opposite", [-1, 0]));

        var result = await SearchAsync(index, [1, 0], new SearchOptions { ScoreThreshold = 0.5f });

        Assert.Equal(["same", "close"], IdsOf(result));
        Assert.All(result.Matches, m => Assert.True(m.Score >= 0.5f));
    }

    [Fact]
    public async Task SearchAsync_threshold_on_distance_metrics_compares_the_score_not_the_distance()
    {
        var index = await CreateIndexAsync(1, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("d0", [1]), Record("d1", [2]), Record("d3", [4]));

        var result = await SearchAsync(index, [1], new SearchOptions { ScoreThreshold = 0.4f });

        Assert.Equal(["d0", "d1"], IdsOf(result));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(false, false)]
    public async Task SearchAsync_include_flags_return_values_and_metadata_only_when_asked(bool includeValues, bool includeMetadata)
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 2], Meta(("industry", "fintech"))));

        var result = await SearchAsync(index, [1, 2], new SearchOptions { IncludeValues = includeValues, IncludeMetadata = includeMetadata });

        var match = Assert.Single(result.Matches);
        if (includeValues)
        {
            AssertStoredValues([1, 2], match.Values, DistanceMetric.Euclidean);
        }
        else
        {
            Assert.Null(match.Values);
        }

        if (includeMetadata)
        {
            Assert.Equal(Meta(("industry", "fintech")), match.Metadata);
        }
        else
        {
            Assert.Null(match.Metadata);
        }
    }

    [Fact]
    public async Task SearchByIdAsync_uses_the_records_vector_and_never_returns_the_record_itself()
    {
        var index = await CreateIndexAsync(1, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("self", [5]), Record("twin", [5]), Record("near", [6]), Record("far", [20]));

        var result = await Storage.SearchByIdAsync(index, Id("self"), new SearchOptions { TopK = 10 });

        Assert.Equal(["twin", "near", "far"], IdsOf(result));
        AssertClose(1, result.Matches[0].Score);
    }

    [Fact]
    public async Task SearchByIdAsync_top_k_counts_matches_after_leaving_out_the_record()
    {
        var index = await CreateIndexAsync(1, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("self", [1]), Record("a", [2]), Record("b", [3]), Record("c", [4]));

        var result = await Storage.SearchByIdAsync(index, Id("self"), new SearchOptions { TopK = 2 });

        Assert.Equal(["a", "b"], IdsOf(result));
    }

    [Fact]
    public async Task SearchByIdAsync_missing_id_throws_RecordNotFound()
    {
        var index = await CreateIndexAsync();
        await UpsertAsync(index, Record("a", [1, 0]));

        await Assert.ThrowsAsync<RecordNotFoundException>(async () => await Storage.SearchByIdAsync(index, Id("nope"), new SearchOptions()));
    }

    [Fact]
    public async Task SearchAsync_empty_index_returns_no_matches()
    {
        var index = await CreateIndexAsync();

        var result = await SearchAsync(index, [1, 0]);

        Assert.Empty(result.Matches);
    }

    [Fact]
    public async Task SearchAsync_deleted_and_replaced_records_are_searched_as_they_are_now()
    {
        var index = await CreateIndexAsync(1, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1]), Record("b", [2]), Record("c", [3]));
        await Storage.DeleteAsync(index, Id("a"));
        await UpsertAsync(index, Record("c", [1.5f]));

        var result = await SearchAsync(index, [1]);

        Assert.Equal(["c", "b"], IdsOf(result));
        AssertClose(1 / 1.5, result.Matches[0].Score);
    }

    [Fact]
    public async Task SearchAsync_past_its_deadline_fails_with_a_timeout_where_the_backend_honours_one()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [0, 1]));

        // under a millisecond: the deadline has passed before the backend is asked
        var expired = new SearchOptions { TopK = 2, Timeout = TimeSpan.FromTicks(1) };

        if (Capabilities.QueryTimeout == QueryTimeoutSupport.None)
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await SearchAsync(index, [1, 0], expired));
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await Storage.SearchByIdAsync(index, Id("a"), expired));
            return;
        }

        var byVector = await Assert.ThrowsAsync<StorageTimeoutException>(async () => await SearchAsync(index, [1, 0], expired));
        var byId = await Assert.ThrowsAsync<StorageTimeoutException>(async () => await Storage.SearchByIdAsync(index, Id("a"), expired));
        foreach (var (error, operation) in new[] { (byVector, "Search"), (byId, "SearchById") })
        {
            Assert.Equal(ErrorCodes.Timeout, error.Code);
            Assert.Equal(expired.Timeout, error.Deadline);
            Assert.False(error.IsTransient); // the same deadline would run out again: not retried
            Assert.Equal(Capabilities.SystemName, error.SystemName);
            Assert.Equal(index.Value, error.Index);
            Assert.Equal(operation, error.Operation);
            Assert.Contains("deadline", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task SearchAsync_within_a_generous_deadline_answers_as_without_one()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]), Record("b", [0, 1]), Record("c", [2, 2]));
        var generous = new SearchOptions { TopK = 3, Timeout = TimeSpan.FromMinutes(1) };

        if (Capabilities.QueryTimeout == QueryTimeoutSupport.None)
        {
            await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await SearchAsync(index, [1, 0], generous));
            return;
        }

        Assert.Equal(IdsOf(await SearchAsync(index, [1, 0], new SearchOptions { TopK = 3 })), IdsOf(await SearchAsync(index, [1, 0], generous)));
        Assert.Equal(["b", "c"], IdsOf(await Storage.SearchByIdAsync(index, Id("a"), generous)));
    }

    [Fact]
    public async Task SearchAsync_cancelled_by_the_caller_within_its_deadline_is_a_cancellation_not_a_timeout()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]));
        if (Capabilities.QueryTimeout == QueryTimeoutSupport.None)
        {
            return; // refused before any work: the deadline test above asserts it
        }

        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
            await Storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { Timeout = TimeSpan.FromMinutes(1) }, gone.Token));
    }

    private static float[] RandomVector(Random random, int dimension)
    {
        var values = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
