using FsCheck;
using FsCheck.Fluent;
using Theodore.Engine.Graph;

namespace Theodore.Engine.Tests;

/// <summary>
/// A quantized search reranks the best k * rerank factor of every node its walk measured, not only of the walk's ef
/// results: the walk's runners-up make up the rest.
/// </summary>
public sealed class RerankRunnersUpTests
{
    private static readonly float[][] Rows = TestData.Clustered(3_000, 96, 12, seed: 21);
    private static readonly float[][] Queries = TestData.Clustered(60, 96, 12, seed: 22);

    [Fact]
    public void Offering_to_a_bounded_heap_keeps_the_nearest_capacity_of_everything_offered()
    {
        var cases =
            from capacity in Gen.Choose(0, 40)
            from distances in Gen.ListOf(Gen.Choose(-1000, 1000))
            select (capacity, distances: distances.Select(d => d / 10f).ToArray());

        var property = Prop.ForAll(cases.ToArbitrary(), c =>
        {
            var heap = new DistanceHeap();
            for (int i = 0; i < c.distances.Length; i++)
            {
                heap.Offer(c.distances[i], i, c.capacity);
            }

            int kept = Math.Min(c.capacity, c.distances.Length);
            var distances = new float[kept];
            var slots = new int[kept];
            bool counted = heap.CopyTo(distances, slots, 0) == kept;
            bool nearest = distances.Order().SequenceEqual(c.distances.Order().Take(kept));
            bool paired = slots.Select((slot, i) => c.distances[slot] == distances[i]).All(x => x) && slots.Distinct().Count() == kept;
            return counted && nearest && paired;
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    [Theory]
    [InlineData(VectorQuantization.Int4)]
    [InlineData(VectorQuantization.Binary)]
    public void The_rerank_measures_k_times_its_factor_even_where_the_walk_keeps_fewer(VectorQuantization kind)
    {
        // The walk is the same whatever the rerank asks for; only the exact measurements after it differ, by the
        // runners-up that make the rerank up to 10 * 4 where the walk's beam holds 10.
        var index = TestData.Build(DistanceMetric.Euclidean, Rows, quantization: kind, threads: 1);
        foreach (var query in Queries.Take(10))
        {
            long before = index.SearchStatistics.DistanceComputations;
            index.Search(query, 10, ef: 10, rerankFactor: 1);
            long between = index.SearchStatistics.DistanceComputations;
            index.Search(query, 10, ef: 10, rerankFactor: 4);
            long after = index.SearchStatistics.DistanceComputations;

            Assert.Equal(30, (after - between) - (between - before));
        }
    }

    [Fact]
    public void A_rerank_wider_than_the_search_s_scratch_keeps_the_walk_s_results_and_finds_all_a_narrower_one_found()
    {
        // Factor 100 asks for 1,000 rows; the scratch arrays start at 256 and grow after the walk, keeping its results.
        var index = TestData.Build(DistanceMetric.Euclidean, Rows, quantization: VectorQuantization.Binary, threads: 1);
        foreach (var query in Queries.Take(10))
        {
            var truth = index.Search(query, 10, exact: true).Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
            var exactByKey = index.Search(query, Rows.Length, exact: true).ToDictionary(h => h.Key, h => h.Distance, StringComparer.Ordinal);
            long before = index.SearchStatistics.DistanceComputations;
            var narrow = index.Search(query, 10, ef: 64, rerankFactor: 4);
            long between = index.SearchStatistics.DistanceComputations;
            var wide = index.Search(query, 10, ef: 64, rerankFactor: 100);
            long after = index.SearchStatistics.DistanceComputations;

            // The walks are the same; the narrow rerank measured 40 rows (fewer than its beam of 64), the wide one the rest.
            long wideRows = 40 + (after - between) - (between - before);
            Assert.True(wideRows > 256, $"{wideRows} rows reranked");
            Assert.Equal(10, wide.Length);
            Assert.All(wide, hit => Assert.Equal(exactByKey[hit.Key], hit.Distance, 1e-5f));
            Assert.Subset(wide.Select(h => h.Key).ToHashSet(StringComparer.Ordinal), narrow.Select(h => h.Key).Where(truth.Contains).ToHashSet(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void A_narrow_binary_walk_measured_wide_finds_far_more_than_its_beam_holds()
    {
        // 1-bit codes of these 96-d clusters rank neighbours within a cluster poorly (at ef 40 the beam's own 40 hold
        // about half of the true 10), but the 400 best the walk measured, measured exactly, hold most of them.
        var index = TestData.Build(DistanceMetric.Euclidean, Rows, quantization: VectorQuantization.Binary, threads: 1);
        double wide = 0, beamOnly = 0;
        foreach (var query in Queries)
        {
            var truth = index.Search(query, 10, exact: true);
            wide += TestData.Recall(index.Search(query, 10, ef: 40, rerankFactor: 40), truth) / Queries.Length;
            beamOnly += TestData.Recall(index.Search(query, 10, ef: 40, rerankFactor: 4), truth) / Queries.Length;
        }

        Assert.True(wide > beamOnly + 0.2, $"recall@10 {wide:F3} reranking 400, {beamOnly:F3} reranking the beam's 40");
    }

    [Theory]
    [InlineData(VectorQuantization.Int4)]
    [InlineData(VectorQuantization.Binary)]
    public void Runners_up_of_a_filtered_walk_or_one_through_deleted_records_are_never_returned(VectorQuantization kind)
    {
        var index = TestData.Build(
            DistanceMetric.Euclidean, Rows, quantization: kind,
            metadata: i => new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["bucket"] = (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        for (int i = 0; i < Rows.Length; i += 3)
        {
            index.Delete(TestData.Key(i));
        }

        foreach (var query in Queries.Take(20))
        {
            var hits = index.Search(query, 10, ef: 10, filter: EngineFilter.Eq("bucket", "3"), rerankFactor: 30);
            var unfiltered = index.Search(query, 10, ef: 10, rerankFactor: 30);

            Assert.Equal(10, hits.Length);
            Assert.All(hits, h => Assert.Equal(3, Number(h.Key) % 7));
            Assert.All(hits.Concat(unfiltered), h => Assert.NotEqual(0, Number(h.Key) % 3));
        }

        static int Number(string key) => int.Parse(key[1..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
