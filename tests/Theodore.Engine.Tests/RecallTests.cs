namespace Theodore.Engine.Tests;

public sealed class RecallTests
{
    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.DotProduct)]
    [InlineData(DistanceMetric.Manhattan)]
    public void Search_clusteredData_recallAtTenAtLeast95Percent(DistanceMetric metric)
    {
        var rows = TestData.Clustered(3000, 24, 30, seed: (int)metric + 1);
        var index = TestData.Build(metric, rows);
        var queries = TestData.Clustered(100, 24, 30, seed: 100 + (int)metric);

        // Inner product is not a metric: hubs with large norms make the walk need a wider beam.
        int ef = metric == DistanceMetric.DotProduct ? 256 : 64;
        double recall = 0;
        foreach (var query in queries)
        {
            var truth = index.Search(query, 10, exact: true);
            recall += TestData.Recall(index.Search(query, 10, ef: ef), truth);
        }

        Assert.True(recall / queries.Length >= 0.95, $"recall@10 {recall / queries.Length:F3} for {metric}");
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.DotProduct)]
    [InlineData(DistanceMetric.Manhattan)]
    public void Search_exactFlag_matchesIndependentBruteForce(DistanceMetric metric)
    {
        var rows = TestData.Clustered(500, 20, 10, seed: 7);
        var index = TestData.Build(metric, rows);
        var byKey = rows.Select((r, i) => (TestData.Key(i), r)).ToDictionary(p => p.Item1, p => p.r, StringComparer.Ordinal);
        var query = TestData.Clustered(1, 20, 10, seed: 8)[0];

        var hits = index.Search(query, 15, exact: true);
        var reference = TestData.BruteForce(metric, byKey, query, 15);

        Assert.Equal(reference.Select(r => r.Key), hits.Select(h => h.Key), StringComparer.Ordinal);
        for (int i = 0; i < hits.Length; i++)
        {
            Assert.Equal(reference[i].Distance, hits[i].Distance, 1e-3 * Math.Max(1, Math.Abs(reference[i].Distance)));
        }
    }

    [Fact]
    public void Search_results_sortedByDistanceThenKey()
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 2, Metric = DistanceMetric.Euclidean });
        index.Upsert("b", [1, 0]);
        index.Upsert("a", [0, 1]);
        index.Upsert("c", [-1, 0]);
        index.Upsert("z", [0, 0.5f]);

        var hits = index.Search([0, 0], 4);

        Assert.Equal(["z", "a", "b", "c"], hits.Select(h => h.Key), StringComparer.Ordinal);
        Assert.Equal(0.5f, hits[0].Distance, 1e-6f);
        Assert.Equal(1f, hits[1].Distance, 1e-6f);
    }

    [Fact]
    public void Search_metricDistances_areTheDocumentedRawValues()
    {
        float[] a = [3, 4];
        float[] q = [1, 0];
        Assert.Equal(-3f, Single(DistanceMetric.DotProduct, a, q), 1e-5f);
        Assert.Equal(MathF.Sqrt(4 + 16), Single(DistanceMetric.Euclidean, a, q), 1e-5f);
        Assert.Equal(2 + 4f, Single(DistanceMetric.Manhattan, a, q), 1e-5f);
        Assert.Equal(1 - 0.6f, Single(DistanceMetric.Cosine, a, q), 1e-5f);
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine, 10, VectorQuantization.None)]
    [InlineData(DistanceMetric.Euclidean, 40, VectorQuantization.None)]
    [InlineData(DistanceMetric.DotProduct, 128, VectorQuantization.None)]
    [InlineData(DistanceMetric.Euclidean, 64, VectorQuantization.Binary)]
    [InlineData(DistanceMetric.Cosine, 40, VectorQuantization.Int4)]
    public void Search_walkWithoutFilter_visitsAndAnswersAsTheWalkThatChecksEveryNode(DistanceMetric metric, int ef, VectorQuantization quantization)
    {
        // The unfiltered walk keeps one sorted pool; a filter that passes everything takes the walk with two heaps.
        // Both expand the nearest unexpanded node until the best ef are expanded, so they measure the same nodes, on
        // floats and on codes alike.
        var rows = TestData.Clustered(3000, 24, 30, seed: 11);
        var index = TestData.Build(metric, rows, quantization: quantization);
        var everything = EngineFilter.Predicate(_ => true, 1.0);
        foreach (var query in TestData.Clustered(40, 24, 30, seed: 12))
        {
            long before = index.SearchStatistics.DistanceComputations;
            var pooled = index.Search(query, 10, ef: ef);
            long between = index.SearchStatistics.DistanceComputations;
            var checkedEach = index.Search(query, 10, ef: ef, filter: everything);
            long after = index.SearchStatistics.DistanceComputations;

            Assert.Equal(checkedEach.Select(h => (h.Key, h.Distance)), pooled.Select(h => (h.Key, h.Distance)));
            Assert.Equal(after - between, between - before);
        }
    }

    private static float Single(DistanceMetric metric, float[] stored, float[] query)
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 2, Metric = metric });
        index.Upsert("x", stored);
        return Assert.Single(index.Search(query, 1)).Distance;
    }
}
