using Theodore.Engine.Tests.Snapshots;

namespace Theodore.Engine.Tests;

/// <summary>Quantized search: the walk on 8-bit codes, the exact rerank, and the option's life in snapshots.</summary>
public sealed class QuantizationTests
{
    private static readonly float[][] Rows = TestData.Clustered(3_000, 96, 12, seed: 21);
    private static readonly float[][] Queries = TestData.Clustered(60, 96, 12, seed: 22);

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.DotProduct)]
    public void A_quantized_search_finds_what_an_exact_scan_finds_with_exact_distances(DistanceMetric metric)
    {
        var index = TestData.Build(metric, Rows, quantization: VectorQuantization.Int8);
        var plain = TestData.Build(metric, Rows);
        double recall = 0, plainRecall = 0;
        foreach (var query in Queries)
        {
            var truth = index.Search(query, 10, exact: true);
            var found = index.Search(query, 10, ef: 64);
            recall += TestData.Recall(found, truth) / Queries.Length;
            plainRecall += TestData.Recall(plain.Search(query, 10, ef: 64), truth) / Queries.Length;

            // The rerank measured the answers exactly: every distance is what an exact scan reports for that key.
            var exactByKey = index.Search(query, Rows.Length, exact: true).ToDictionary(h => h.Key, h => h.Distance, StringComparer.Ordinal);
            Assert.All(found, hit => Assert.Equal(exactByKey[hit.Key], hit.Distance, 1e-5f));
            Assert.True(found.Select(h => h.Distance).SequenceEqual(found.Select(h => h.Distance).Order()));
        }

        // The walk on codes loses next to nothing against the walk on floats over the same kind of graph.
        Assert.True(recall >= plainRecall - 0.02, $"recall@10 {recall:F3} quantized, {plainRecall:F3} on floats ({metric})");
    }

    [Fact]
    public void A_quantized_index_keeps_its_codes_at_rest_and_an_unquantized_one_gives_them_back()
    {
        var quantized = TestData.Build(DistanceMetric.Cosine, Rows, quantization: VectorQuantization.Int8);
        var plain = TestData.Build(DistanceMetric.Cosine, Rows);
        quantized.Search(Queries[0], 10);

        Assert.Equal(Rows.Length * (Distances.ScalarCodes.Stride(96) + 64L), quantized.CurrentState.CodeBytes);
        Assert.Equal(0, plain.CurrentState.CodeBytes);
    }

    [Fact]
    public void A_filtered_quantized_search_returns_only_matching_records()
    {
        var index = TestData.Build(
            DistanceMetric.Euclidean, Rows, quantization: VectorQuantization.Int8,
            metadata: i => new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["bucket"] = (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var hits = index.Search(Queries[3], 10, ef: 80, filter: EngineFilter.Eq("bucket", "3"));

        Assert.Equal(10, hits.Length);
        Assert.All(hits, h => Assert.Equal(3, int.Parse(h.Key[1..], System.Globalization.CultureInfo.InvariantCulture) % 7));
    }

    [Fact]
    public void The_quantization_and_rerank_factor_survive_a_snapshot_and_the_loaded_index_answers_the_same()
    {
        var index = TestData.Build(DistanceMetric.Cosine, Rows, quantization: VectorQuantization.Int8, rerankFactor: 7);

        var loaded = SnapshotFiles.RoundTrip(index);

        Assert.Equal(VectorQuantization.Int8, loaded.Options.Quantization);
        Assert.Equal(7, loaded.Options.RerankFactor);
        foreach (var query in Queries.Take(20))
        {
            Assert.Equal(index.Search(query, 10, ef: 50).Select(h => h.Key), loaded.Search(query, 10, ef: 50).Select(h => h.Key), StringComparer.Ordinal);
        }
    }

    [Fact]
    public void Quantization_is_refused_where_codes_have_no_distance_and_a_rerank_factor_must_be_sane()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorIndex(new VectorIndexOptions
        {
            Dimension = 8, Metric = DistanceMetric.Manhattan, Quantization = VectorQuantization.Int8,
        }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorIndex(new VectorIndexOptions
        {
            Dimension = 8, Metric = DistanceMetric.Cosine, Quantization = VectorQuantization.Int8, RerankFactor = 0,
        }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorIndex(new VectorIndexOptions
        {
            Dimension = 8, Metric = DistanceMetric.Cosine, Quantization = (VectorQuantization)9,
        }));
    }
}
