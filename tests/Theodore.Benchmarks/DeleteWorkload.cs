using System.Diagnostics;
using System.Globalization;
using Theodore.Engine;

namespace Theodore.Benchmarks;

/// <summary>
/// Deletes a seeded random fraction of the built records, then reports QPS and recall@10 (against
/// the engine's exact search over the survivors) with the tombstones in place, and again after a
/// timed compaction; a reader thread searches throughout the compaction to show it is not blocked.
/// </summary>
internal static class DeleteWorkload
{
    private const int K = 10;

    public static int Run(BenchmarkArguments a, VectorIndexOptions options, float[] base_, int n, float[] queries, int nq, double fraction)
    {
        int dim = options.Dimension;
        var records = new EngineRecord[n];
        for (int i = 0; i < n; i++)
        {
            records[i] = new EngineRecord(i.ToString(CultureInfo.InvariantCulture), base_.AsMemory(i * dim, dim), new Dictionary<string, EngineValue>(StringComparer.Ordinal));
        }

        var index = new VectorIndex(options);
        var clock = Stopwatch.StartNew();
        index.UpsertMany(records, a.Threads);
        double build = clock.Elapsed.TotalSeconds;

        var random = new Random(3);
        clock.Restart();
        for (int i = 0; i < n; i++)
        {
            if (random.NextDouble() < fraction)
            {
                index.Delete(i.ToString(CultureInfo.InvariantCulture));
            }
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# deleted {index.TombstoneCount} in {clock.Elapsed.TotalSeconds:F2}s, {index.Count} live"));
        var truth = new string[nq][];
        for (int q = 0; q < nq; q++)
        {
            truth[q] = index.Search(queries.AsSpan(q * dim, dim), K, exact: true).Select(h => h.Key).ToArray();
        }

        string label = fraction.ToString(CultureInfo.InvariantCulture);
        Measure(a, index, queries, nq, dim, truth, $"theodore-deleted-{label}", $"build_s={build:F1}");

        using var stop = new CancellationTokenSource();
        long during = 0;
        var reader = new Thread(() =>
        {
            for (int q = 0; !stop.IsCancellationRequested; q = (q + 1) % nq)
            {
                index.Search(queries.AsSpan(q * dim, dim), K, 40);
                during++;
            }
        });
        reader.Start();
        clock.Restart();
        index.Compact();
        double compact = clock.Elapsed.TotalSeconds;
        stop.Cancel();
        reader.Join();
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# {during} searches answered during the {compact:F2}s compaction; memory now {index.MemoryBytes}"));
        Measure(a, index, queries, nq, dim, truth, $"theodore-compacted-{label}", $"compact_s={compact:F2}");
        return 0;
    }

    private static void Measure(BenchmarkArguments a, VectorIndex index, float[] queries, int nq, int dim, string[][] truth, string engine, string timing)
    {
        var warmup = Stopwatch.StartNew();
        while (warmup.Elapsed.TotalSeconds < 1)
        {
            for (int q = 0; q < nq; q++)
            {
                index.Search(queries.AsSpan(q * dim, dim), K, a.Efs[0]);
            }
        }

        foreach (int ef in a.Efs)
        {
            long hits = 0;
            var clock = Stopwatch.StartNew();
            var found = new SearchHit[nq][];
            for (int q = 0; q < nq; q++)
            {
                found[q] = index.Search(queries.AsSpan(q * dim, dim), K, Math.Max(ef, K));
            }

            double elapsed = clock.Elapsed.TotalSeconds;
            for (int q = 0; q < nq; q++)
            {
                var expected = truth[q].ToHashSet(StringComparer.Ordinal);
                hits += found[q].Count(h => expected.Contains(h.Key));
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a.Name} {engine} ef={ef} {timing} qps={nq / elapsed:F0} recall={hits / (double)(nq * K):F4}"));
        }
    }
}
