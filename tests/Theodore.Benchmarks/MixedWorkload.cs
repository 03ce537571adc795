using System.Diagnostics;
using System.Globalization;
using Theodore.Engine;

namespace Theodore.Benchmarks;

/// <summary>
/// Search latency percentiles on one thread, first alone, then while a writer thread upserts at a
/// fixed rate (the vectors held back from the build, then re-upserts of built ones).
/// </summary>
internal static class MixedWorkload
{
    private const int K = 10;

    public static int Run(BenchmarkArguments a, VectorIndexOptions options, float[] base_, int n, float[] queries, int nq)
    {
        int dim = options.Dimension;
        int held = Math.Min(n / 5, 20_000);
        int built = n - held;
        var records = new EngineRecord[built];
        for (int i = 0; i < built; i++)
        {
            records[i] = new EngineRecord(i.ToString(CultureInfo.InvariantCulture), base_.AsMemory(i * dim, dim), new Dictionary<string, EngineValue>(StringComparer.Ordinal));
        }

        var index = new VectorIndex(options);
        var clock = Stopwatch.StartNew();
        index.UpsertMany(records, a.Threads);
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"# built {built} in {clock.Elapsed.TotalSeconds:F1}s"));
        int ef = a.Efs.Length == 1 ? a.Efs[0] : 40;

        Measure(index, queries, nq, dim, ef, a.Seconds); // warm-up
        var alone = Measure(index, queries, nq, dim, ef, a.Seconds);
        Print(a.Name, "off", ef, alone, 0);

        using var stop = new CancellationTokenSource();
        long written = 0;
        var writer = new Thread(() =>
        {
            var pace = Stopwatch.StartNew();
            long next = 0;
            while (!stop.IsCancellationRequested)
            {
                long due = (long)(pace.Elapsed.TotalSeconds * a.WriterRate);
                while (next < due)
                {
                    int row = (int)((built + next) % n);
                    index.Upsert(row.ToString(CultureInfo.InvariantCulture), base_.AsSpan(row * dim, dim));
                    next++;
                }

                Volatile.Write(ref written, next);
                Thread.Sleep(1);
            }
        })
        { IsBackground = true };
        var writeClock = Stopwatch.StartNew();
        writer.Start();
        var busy = Measure(index, queries, nq, dim, ef, a.Seconds);
        stop.Cancel();
        writer.Join();
        double rate = Volatile.Read(ref written) / writeClock.Elapsed.TotalSeconds;
        Print(a.Name, "on", ef, busy, rate);
        return 0;
    }

    private static double[] Measure(VectorIndex index, float[] queries, int nq, int dim, int ef, double seconds)
    {
        var latencies = new List<double>();
        var total = Stopwatch.StartNew();
        var one = new Stopwatch();
        for (int q = 0; total.Elapsed.TotalSeconds < seconds; q = (q + 1) % nq)
        {
            one.Restart();
            index.Search(queries.AsSpan(q * dim, dim), K, ef);
            latencies.Add(one.Elapsed.TotalMilliseconds);
        }

        var sorted = latencies.ToArray();
        Array.Sort(sorted);
        return sorted;
    }

    private static void Print(string name, string writer, int ef, double[] sorted, double rate)
    {
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# gc so far: gen0={GC.CollectionCount(0)} gen1={GC.CollectionCount(1)} gen2={GC.CollectionCount(2)} pause_ms={GC.GetTotalPauseDuration().TotalMilliseconds:F0} max_ms={sorted[^1]:F2}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name} theodore-mixed writer={writer} ef={ef} searches={sorted.Length} p50_ms={sorted[sorted.Length / 2]:F3} p99_ms={sorted[(int)(sorted.Length * 0.99)]:F3} inserts_per_s={rate:F0}"));
    }
}
