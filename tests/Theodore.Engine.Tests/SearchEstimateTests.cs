using System.Globalization;
using Xunit.Abstractions;

namespace Theodore.Engine.Tests;

/// <summary>
/// Estimates against reality: on 20k x 64 clustered vectors, the distances a search class is estimated to measure are
/// within a factor of 2 of the distances the engine's counter saw for the same queries.
/// </summary>
public sealed class SearchEstimateTests(SearchEstimateTests.Dataset data, ITestOutputHelper output) : IClassFixture<SearchEstimateTests.Dataset>
{
    private const int Queries = 40;

    public static TheoryData<string> Classes => ["unfiltered", "selective", "broad", "exact"];

    [Theory]
    [MemberData(nameof(Classes))]
    public void EstimateSearch_afterWarmUp_withinFactorTwoOfMeasuredDistances(string name)
    {
        var (filter, exact, expected) = Class(name);
        var queries = TestData.Clustered(2 * Queries, 64, 40, seed: 900 + name.Length);

        // Warm up: the walk model learns its distances per unit of beam width from these searches.
        for (int i = 0; i < Queries; i++)
        {
            data.Index.Search(queries[i], 10, ef: 64, exact: exact, filter: filter);
        }

        var estimate = data.Index.EstimateSearch(10, ef: 64, exact: exact, filter: filter);
        var before = data.Index.SearchStatistics;
        for (int i = Queries; i < 2 * Queries; i++)
        {
            data.Index.Search(queries[i], 10, ef: 64, exact: exact, filter: filter);
        }

        var after = data.Index.SearchStatistics;
        double actual = (double)(after.DistanceComputations - before.DistanceComputations) / (after.Searches - before.Searches);
        double ratio = estimate.DistanceComputations / actual;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: plan {estimate.Plan}, estimated {estimate.DistanceComputations}, measured {actual:F0}, ratio {ratio:F2}, duration {estimate.Duration?.TotalMicroseconds:F0} us"));
        Assert.Equal(expected, estimate.Plan);
        Assert.Equal(expected != SearchPlanKind.ExactScan, estimate.Approximate);
        Assert.InRange(ratio, 0.5, 2.0);
        Assert.True(estimate.FromMeasuredSearches);
        Assert.NotNull(estimate.Duration);
    }

    [Fact]
    public void EstimateSearch_beforeAnySearch_priorWithinFactorTwoAndNoDuration()
    {
        var rows = TestData.Clustered(20_000, 64, 40, seed: 31);
        var index = TestData.Build(DistanceMetric.Euclidean, rows);
        var estimate = index.EstimateSearch(10, ef: 64);
        Assert.False(estimate.FromMeasuredSearches);
        Assert.Null(estimate.Duration);

        var queries = TestData.Clustered(Queries, 64, 40, seed: 32);
        foreach (var query in queries)
        {
            index.Search(query, 10, ef: 64);
        }

        var stats = index.SearchStatistics;
        double actual = (double)stats.DistanceComputations / stats.Searches;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"prior: estimated {estimate.DistanceComputations}, measured {actual:F0}"));
        Assert.InRange(estimate.DistanceComputations / actual, 0.5, 2.0);
    }

    [Fact]
    public void EstimateSearch_sharesThePlannersThreshold()
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 2, Metric = DistanceMetric.Euclidean, ExactFilterThreshold = 10 });
        for (int i = 0; i < 100; i++)
        {
            index.Upsert(TestData.Key(i), [i, 1], new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["g"] = EngineValue.FromString(i < 10 ? "small" : "big") });
        }

        Assert.Equal(SearchPlanKind.ExactScan, index.EstimateSearch(5, filter: EngineFilter.Eq("g", EngineValue.FromString("small"))).Plan);
        Assert.Equal(SearchPlanKind.GraphWalk, index.EstimateSearch(5, filter: EngineFilter.Eq("g", EngineValue.FromString("big"))).Plan);
        Assert.Equal(10, index.EstimateSearch(5, filter: EngineFilter.Eq("g", EngineValue.FromString("small"))).DistanceComputations);
        Assert.Equal(100, index.EstimateSearch(5, exact: true).DistanceComputations);
    }

    private static (EngineFilter? Filter, bool Exact, SearchPlanKind Plan) Class(string name) => name switch
    {
        "unfiltered" => (null, false, SearchPlanKind.GraphWalk),
        "selective" => (EngineFilter.Eq("bucket", EngineValue.FromString("b7")), false, SearchPlanKind.ExactScan),
        "broad" => (EngineFilter.Eq("half", EngineValue.FromString("a")), false, SearchPlanKind.GraphWalk),
        _ => (null, true, SearchPlanKind.ExactScan),
    };

    /// <summary>20k x 64 clustered vectors; "bucket" splits them in 100, "half" in 2.</summary>
    public sealed class Dataset
    {
        public Dataset()
        {
            var rows = TestData.Clustered(20_000, 64, 40, seed: 21);
            Index = new VectorIndex(new VectorIndexOptions { Dimension = 64, Metric = DistanceMetric.Euclidean });
            var records = new List<EngineRecord>(rows.Length);
            for (int i = 0; i < rows.Length; i++)
            {
                var metadata = new Dictionary<string, EngineValue>(StringComparer.Ordinal)
                {
                    ["bucket"] = EngineValue.FromString("b" + (i % 100).ToString(CultureInfo.InvariantCulture)),
                    ["half"] = EngineValue.FromString(i % 2 == 0 ? "a" : "b"),
                };
                records.Add(new EngineRecord(TestData.Key(i), rows[i], metadata));
            }

            Index.UpsertMany(records);
        }

        public VectorIndex Index { get; }
    }
}
