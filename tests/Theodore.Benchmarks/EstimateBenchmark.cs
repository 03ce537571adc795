using System.Globalization;
using Theodore.Engine;

namespace Theodore.Benchmarks;

/// <summary>
/// Query cost estimates against reality on a benchmark dataset (issue 13, item 4): the engine is built from the base
/// vectors, then for each ef the cold estimate, a warm-up on the first half of the queries, the warm estimate, and the
/// distances the engine's counter measured on the second half; also an exact scan. Prints estimated / measured.
/// </summary>
internal static class EstimateBenchmark
{
    private const int K = 10;

    public static int Run(BenchmarkArguments a)
    {
        string prefix = Path.Combine(a.DataDirectory, a.Name);
        bool angular = File.ReadAllText(prefix + ".json").Contains("angular", StringComparison.Ordinal);
        var (base_, n, dim) = VecsFile.Read<float>(prefix + ".base.fvecs");
        var (queries, nq, _) = VecsFile.Read<float>(prefix + ".query.fvecs");
        var options = new VectorIndexOptions { Dimension = dim, Metric = angular ? DistanceMetric.Cosine : DistanceMetric.Euclidean, M = a.M, EfConstruction = a.EfConstruction };
        var records = new EngineRecord[n];
        for (int i = 0; i < n; i++)
        {
            records[i] = new EngineRecord(i.ToString(CultureInfo.InvariantCulture), base_.AsMemory(i * dim, dim), new Dictionary<string, EngineValue>(StringComparer.Ordinal));
        }

        var index = new VectorIndex(options);
        index.UpsertMany(records, a.Threads);
        int half = nq / 2;
        foreach (int ef in a.Efs)
        {
            var cold = index.EstimateSearch(K, ef);
            Measure(index, queries, dim, 0, half, ef, exact: false);
            var warm = index.EstimateSearch(K, ef);
            double measured = Measure(index, queries, dim, half, nq, ef, exact: false);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{a.Name} ef={ef} plan={warm.Plan} estimated={warm.DistanceComputations} measured={measured:F0} ratio={warm.DistanceComputations / measured:F2} cold_estimate={cold.DistanceComputations} cold_ratio={cold.DistanceComputations / measured:F2}"));
        }

        var exact = index.EstimateSearch(K, exact: true);
        double scanned = Measure(index, queries, dim, 0, Math.Min(nq, 20), 0, exact: true);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a.Name} exact plan={exact.Plan} estimated={exact.DistanceComputations} measured={scanned:F0} ratio={exact.DistanceComputations / scanned:F2}"));
        return 0;
    }

    /// <summary>Runs queries [from, to) and returns the distances the engine measured per search.</summary>
    private static double Measure(VectorIndex index, float[] queries, int dim, int from, int to, int ef, bool exact)
    {
        var before = index.SearchStatistics;
        for (int q = from; q < to; q++)
        {
            index.Search(queries.AsSpan(q * dim, dim), K, exact ? null : Math.Max(ef, K), exact: exact);
        }

        var after = index.SearchStatistics;
        return (double)(after.DistanceComputations - before.DistanceComputations) / (after.Searches - before.Searches);
    }
}
