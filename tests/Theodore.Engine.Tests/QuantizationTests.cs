using Theodore.Engine.Tests.Snapshots;

namespace Theodore.Engine.Tests;

/// <summary>Quantized search: the walk on 8-, 4- and 1-bit codes, the exact rerank, and the option's life in snapshots.</summary>
public sealed class QuantizationTests
{
    private static readonly float[][] Rows = TestData.Clustered(3_000, 96, 12, seed: 21);
    private static readonly float[][] Queries = TestData.Clustered(60, 96, 12, seed: 22);

    public static TheoryData<VectorQuantization> Kinds => [VectorQuantization.Int8, VectorQuantization.Int4, VectorQuantization.Binary];

    public static TheoryData<DistanceMetric, VectorQuantization, int, int?> MetricsAndKinds
    {
        get
        {
            var data = new TheoryData<DistanceMetric, VectorQuantization, int, int?>();
            foreach (var metric in new[] { DistanceMetric.Cosine, DistanceMetric.Euclidean, DistanceMetric.DotProduct })
            {
                // The ef and rerank factor at which each kind should lose little recall@10 against the walk on floats
                // at ef 64: int8 and int4 with their default rerank; 1-bit codes of these 96-d clusters mostly tell
                // clusters apart, not neighbours within one, so binary needs a wide walk measured whole.
                data.Add(metric, VectorQuantization.Int8, 64, null);
                data.Add(metric, VectorQuantization.Int4, 64, null);
                data.Add(metric, VectorQuantization.Binary, 400, 40);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(MetricsAndKinds))]
    public void A_quantized_search_finds_what_an_exact_scan_finds_with_exact_distances(DistanceMetric metric, VectorQuantization kind, int ef, int? rerank)
    {
        // One thread each, so both graphs are the same (builds walk on 8-bit codes either way) and only the search differs.
        var index = TestData.Build(metric, Rows, quantization: kind, rerankFactor: rerank, threads: 1);
        var plain = TestData.Build(metric, Rows, threads: 1);
        double recall = 0, plainRecall = 0;
        foreach (var query in Queries)
        {
            var truth = index.Search(query, 10, exact: true);
            var found = index.Search(query, 10, ef: ef);
            recall += TestData.Recall(found, truth) / Queries.Length;
            plainRecall += TestData.Recall(plain.Search(query, 10, ef: 64), truth) / Queries.Length;

            // The rerank measured the answers exactly: every distance is what an exact scan reports for that key.
            var exactByKey = index.Search(query, Rows.Length, exact: true).ToDictionary(h => h.Key, h => h.Distance, StringComparer.Ordinal);
            Assert.All(found, hit => Assert.Equal(exactByKey[hit.Key], hit.Distance, 1e-5f));
            Assert.True(found.Select(h => h.Distance).SequenceEqual(found.Select(h => h.Distance).Order()));
        }

        // The walk on codes loses little against the walk on floats over the same kind of graph.
        Assert.True(recall >= plainRecall - 0.02, $"recall@10 {recall:F3} {kind} at ef {ef}, {plainRecall:F3} on floats at ef 64 ({metric})");
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_search_s_own_rerank_factor_answers_as_an_index_built_with_it_and_leaves_the_index_s_factor_alone(VectorQuantization kind)
    {
        // One thread each, so the two graphs are the same and only the factor differs.
        var index = TestData.Build(DistanceMetric.Cosine, Rows, quantization: kind, threads: 1);
        var narrow = TestData.Build(DistanceMetric.Cosine, Rows, quantization: kind, rerankFactor: 1, threads: 1);
        var before = Queries.Select(q => index.Search(q, 10, ef: 120)).ToArray();
        int differing = 0;

        for (int i = 0; i < Queries.Length; i++)
        {
            var asked = index.Search(Queries[i], 10, ef: 120, rerankFactor: 1);
            Assert.Equal(Keys(narrow.Search(Queries[i], 10, ef: 120)), Keys(asked));
            differing += Keys(asked).SequenceEqual(Keys(before[i])) ? 0 : 1;
        }

        // Reranking only 10 candidates for 10 matches changed answers (the factor is not ignored), and searches without
        // a factor still use the index's.
        Assert.True(differing > 0, $"a factor of 1 changed no answer of {kind}");
        Assert.All(Queries.Select((q, i) => (q, i)), p => Assert.Equal(Keys(before[p.i]), Keys(index.Search(p.q, 10, ef: 120))));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(Queries[0], 10, rerankFactor: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(Queries[0], 10, rerankFactor: VectorIndexOptions.MaxRerankFactor + 1));

        static string[] Keys(SearchHit[] hits) => [.. hits.Select(h => h.Key)];
    }

    [Fact]
    public void A_quantized_index_keeps_its_codes_at_rest_and_an_unquantized_one_gives_them_back()
    {
        var quantized = TestData.Build(DistanceMetric.Cosine, Rows, quantization: VectorQuantization.Int8);
        var plain = TestData.Build(DistanceMetric.Cosine, Rows);
        quantized.Search(Queries[0], 10);

        Assert.Equal(Rows.Length * (long)Graph.CodeArena.RowBytesOf(VectorQuantization.Int8, 96), quantized.CurrentState.CodeBytes);
        Assert.Equal(0, plain.CurrentState.CodeBytes);
    }

    [Theory]
    [InlineData(VectorQuantization.Int4)]
    [InlineData(VectorQuantization.Binary)]
    public void A_low_bit_index_keeps_only_its_small_search_codes_at_rest_and_counts_them(VectorQuantization kind)
    {
        var index = TestData.Build(DistanceMetric.Cosine, Rows, quantization: kind);
        var int8 = TestData.Build(DistanceMetric.Cosine, Rows, quantization: VectorQuantization.Int8);
        index.Search(Queries[0], 10);
        int8.Search(Queries[0], 10);

        // The build's 8-bit codes went at rest; the search codes are a row per record, smaller than int8's.
        long rows = Rows.Length * (long)Graph.CodeArena.RowBytesOf(kind, 96);
        Assert.Equal(rows, index.CurrentState.CodeBytes);
        Assert.True(rows < int8.CurrentState.CodeBytes, $"{rows} bytes of {kind} codes against {int8.CurrentState.CodeBytes} of int8");
        Assert.True(index.GetMemoryUsage().VectorBytes < int8.GetMemoryUsage().VectorBytes);
        Assert.Equal(int8.GetMemoryUsage().VectorBytes - int8.CurrentState.CodeBytes + rows, index.GetMemoryUsage().VectorBytes);

        // New records are encoded into the search codes as they arrive (and the build codes come back for their links).
        index.Upsert("late", Rows[0]);
        Assert.Equal("late", index.Search(Rows[0], 2, ef: 32).Select(h => h.Key).Order(StringComparer.Ordinal).Last());
        Assert.True(index.CurrentState.CodeBytes >= rows + Graph.CodeArena.RowBytesOf(kind, 96));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_filtered_quantized_search_returns_only_matching_records(VectorQuantization kind)
    {
        var index = TestData.Build(
            DistanceMetric.Euclidean, Rows, quantization: kind,
            metadata: i => new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["bucket"] = (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture) });

        var hits = index.Search(Queries[3], 10, ef: 80, filter: EngineFilter.Eq("bucket", "3"));

        Assert.Equal(10, hits.Length);
        Assert.All(hits, h => Assert.Equal(3, int.Parse(h.Key[1..], System.Globalization.CultureInfo.InvariantCulture) % 7));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void The_quantization_and_rerank_factor_survive_a_snapshot_and_the_loaded_index_answers_the_same(VectorQuantization kind)
    {
        var index = TestData.Build(DistanceMetric.Cosine, Rows, quantization: kind, rerankFactor: 7);

        var loaded = SnapshotFiles.RoundTrip(index);

        Assert.Equal(kind, loaded.Options.Quantization);
        Assert.Equal(7, loaded.Options.RerankFactor);
        foreach (var query in Queries.Take(20))
        {
            Assert.Equal(index.Search(query, 10, ef: 50).Select(h => h.Key), loaded.Search(query, 10, ef: 50).Select(h => h.Key), StringComparer.Ordinal);
        }
    }

    [Fact]
    public void A_kind_without_a_rerank_factor_gets_its_own_default_which_a_snapshot_keeps()
    {
        foreach (var kind in new[] { VectorQuantization.None, VectorQuantization.Int8, VectorQuantization.Int4, VectorQuantization.Binary })
        {
            var options = new VectorIndexOptions { Dimension = 8, Metric = DistanceMetric.Cosine, Quantization = kind };
            Assert.Equal(VectorIndexOptions.DefaultRerankFactorFor(kind), options.RerankFactor);
            Assert.Equal(5, (options with { RerankFactor = 5 }).RerankFactor);

            // An index holds the factor named, so it equals the options naming the default and its loaded copy.
            Assert.Equal(options with { RerankFactor = VectorIndexOptions.DefaultRerankFactorFor(kind) }, new VectorIndex(options).Options);
        }

        Assert.True(VectorIndexOptions.DefaultRerankFactorFor(VectorQuantization.Int8) < VectorIndexOptions.DefaultRerankFactorFor(VectorQuantization.Binary));
        var index = TestData.Build(DistanceMetric.Cosine, Rows.Take(200).ToArray(), quantization: VectorQuantization.Binary);
        Assert.Equal(VectorIndexOptions.DefaultRerankFactorFor(VectorQuantization.Binary), SnapshotFiles.RoundTrip(index).Options.RerankFactor);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Quantization_is_refused_where_codes_have_no_distance_and_a_rerank_factor_must_be_sane(VectorQuantization kind)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorIndex(new VectorIndexOptions
        {
            Dimension = 8, Metric = DistanceMetric.Manhattan, Quantization = kind,
        }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorIndex(new VectorIndexOptions
        {
            Dimension = 8, Metric = DistanceMetric.Cosine, Quantization = kind, RerankFactor = 0,
        }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorIndex(new VectorIndexOptions
        {
            Dimension = 8, Metric = DistanceMetric.Cosine, Quantization = (VectorQuantization)9,
        }));
    }
}
