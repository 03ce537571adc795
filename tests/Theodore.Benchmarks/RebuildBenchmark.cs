using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Theodore.Adapters.Native;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;

namespace Theodore.Benchmarks;

/// <summary>
/// Issue 13's online rebuild: a durable native index of 100k x 384 (the emb-384 files when --data names them, else
/// clustered synthetic vectors), one client searching and one writing at a fixed rate throughout. Runs alternate
/// without a rebuild (as long as the rebuild before took, or --off-seconds) and during a rebuild with new HNSW
/// options (M alternating 12 and 16); every search that throws or answers short counts as failed, and at the end every
/// acknowledged write is read back, before and after a restart. Prints search p50/p99 per run and the medians.
/// </summary>
internal static class RebuildBenchmark
{
    private const int K = 10;
    private static readonly IndexName Index = IndexName.Parse("rebuild-bench");

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args)
    {
        var options = Options(args.Span);
        var count = Int(options, "count", 100_000);
        var runs = Int(options, "runs", 3);
        var writerRate = Int(options, "writer-rate", 200);
        var offSeconds = Int(options, "off-seconds", 0);
        var efConstruction = Int(options, "ef-construction", 100);
        var (data, queries, dimension, source) = LoadData(options, count);
        var root = options.TryGetValue("dir", out var dir) ? dir : Path.Combine(Path.GetTempPath(), "theodore-rebuild-bench");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        Console.WriteLine(FormattableString.Invariant(
            $"rebuild: {count} x {dimension} ({source}), cosine, durable Sync, M 16 efConstruction {efConstruction}, 1 searcher (top {K}), 1 writer at {writerRate}/s, {runs} runs each way, {Environment.ProcessorCount} cores, load average {LoadAverage()}"));
        var nativeOptions = new NativeOptions { DataPath = root, SnapshotWalBytes = 1L << 30 };
        var acknowledged = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var clock = Stopwatch.StartNew();
        await using (var storage = await NativeVectorStorage.OpenAsync(nativeOptions))
        {
            await storage.CreateIndexAsync(new IndexDefinition(Index, dimension, DistanceMetric.Cosine, hnsw: new HnswOptions(16, efConstruction)));
            for (var start = 0; start < count; start += 1_000)
            {
                var batch = Enumerable.Range(start, Math.Min(1_000, count - start))
                    .Select(i => new VectorRecord(VectorId.Parse(Id("b", i)), data[i], Metadata.Empty)).ToList();
                await storage.UpsertManyAsync(Index, batch);
            }

            await storage.CheckpointAsync();
            while ((await storage.GetStatsAsync(Index)).UnindexedVectors > 0)
            {
                await Task.Delay(100);
            }
            Console.WriteLine(FormattableString.Invariant($"# built and checkpointed in {clock.Elapsed.TotalSeconds:F0} s"));

            var offP99 = new List<double>();
            var onP99 = new List<double>();
            var offP50 = new List<double>();
            var onP50 = new List<double>();
            var rebuildSeconds = new List<double>();
            long failed = 0, searches = 0, written = 0, next = 0;
            var lastRebuild = TimeSpan.FromSeconds(offSeconds > 0 ? offSeconds : 30);
            for (var run = 1; run <= runs; run++)
            {
                foreach (var during in new[] { false, true })
                {
                    var m = run % 2 == 1 ? 12 : 16;
                    var load = new Load(storage, data, queries, writerRate, acknowledged, next);
                    var measured = Stopwatch.StartNew();
                    load.Start();
                    RebuildStatus? status = null;
                    if (during)
                    {
                        await storage.StartRebuildAsync(Index, new HnswOptions(m, efConstruction));
                        do
                        {
                            await Task.Delay(100);
                            status = await storage.GetRebuildStatusAsync(Index);
                        }
                        while (status.IsRunning);
                    }
                    else
                    {
                        await Task.Delay(offSeconds > 0 ? TimeSpan.FromSeconds(offSeconds) : lastRebuild);
                    }

                    var elapsed = measured.Elapsed;
                    var result = await load.StopAsync();
                    next = load.Next;
                    failed += result.Failed;
                    searches += result.Latencies.Length;
                    written += result.Written;
                    var p50 = Percentile(result.Latencies, 0.50);
                    var p99 = Percentile(result.Latencies, 0.99);
                    (during ? onP50 : offP50).Add(p50);
                    (during ? onP99 : offP99).Add(p99);
                    if (during)
                    {
                        if (status!.Phase != RebuildPhase.Completed)
                        {
                            Console.WriteLine($"# rebuild {run} did not complete: {status.Phase} {status.Error}");
                            return 1;
                        }

                        lastRebuild = elapsed;
                        rebuildSeconds.Add(elapsed.TotalSeconds);
                    }

                    Console.WriteLine(FormattableString.Invariant(
                        $"run {run} {(during ? $"during rebuild to M {m}" : "no rebuild")}: {elapsed.TotalSeconds:F1} s, searches {result.Latencies.Length} (failed {result.Failed}), p50 {p50:F2} ms, p99 {p99:F2} ms, max {result.Latencies[^1]:F2} ms, writes {result.Written} ({result.Written / elapsed.TotalSeconds:F0}/s, p99 {Percentile(result.WriteLatencies, 0.99):F2} ms, max {result.WriteLatencies[^1]:F2} ms), load average {LoadAverage()}"));
                }
            }

            var lost = await CountLostAsync(storage, acknowledged);
            Console.WriteLine(FormattableString.Invariant(
                $"summary: searches {searches}, failed {failed}; acknowledged writes {written}, lost {lost}; rebuilds {string.Join(", ", rebuildSeconds.Select(static s => s.ToString("F0", CultureInfo.InvariantCulture)))} s"));
            Console.WriteLine(FormattableString.Invariant(
                $"summary: search p99 median without rebuild {Median(offP99):F2} ms, during rebuild {Median(onP99):F2} ms ({Median(onP99) / Median(offP99):F2}x); p50 {Median(offP50):F2} ms vs {Median(onP50):F2} ms"));
            if (failed > 0 || lost > 0)
            {
                return 1;
            }
        }

        await using (var reopened = await NativeVectorStorage.OpenAsync(nativeOptions))
        {
            var lost = await CountLostAsync(reopened, acknowledged);
            var hnsw = (await reopened.DescribeIndexAsync(Index)).Definition.Hnsw;
            Console.WriteLine(FormattableString.Invariant($"after restart: {(await reopened.GetStatsAsync(Index)).TotalVectors} records, options M {hnsw?.M} efConstruction {hnsw?.EfConstruction}, acknowledged writes lost {lost}"));
            Directory.Delete(root, recursive: true);
            return lost == 0 ? 0 : 1;
        }
    }

    private static async Task<long> CountLostAsync(NativeVectorStorage storage, Dictionary<string, float[]> acknowledged)
    {
        long lost = 0;
        foreach (var (id, values) in acknowledged)
        {
            var stored = await storage.GetAsync(Index, VectorId.Parse(id));
            var expected = values.ToArray();
            TensorPrimitives.Divide(expected, TensorPrimitives.Norm(expected), expected);
            if (stored is null || TensorPrimitives.Dot(expected, stored.Values.Span) < 0.9999f)
            {
                lost++;
            }
        }

        return lost;
    }

    private static string Id(string prefix, long i) => prefix + i.ToString("D8", CultureInfo.InvariantCulture);

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(sorted.Length * p))];

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static (float[][] Data, float[][] Queries, int Dimension, string Source) LoadData(Dictionary<string, string> options, int count)
    {
        if (options.TryGetValue("data", out var directory))
        {
            var name = options.TryGetValue("name", out var n) ? n : "emb-384-angular";
            var (values, rows, dim) = VecsFile.Read<float>(Path.Combine(directory, name + ".base.fvecs"));
            var (queryValues, queryRows, _) = VecsFile.Read<float>(Path.Combine(directory, name + ".query.fvecs"));
            if (rows < count)
            {
                throw new ArgumentException($"{name} holds {rows} vectors; the run needs {count}.", nameof(options));
            }

            return (Rows(values, count, dim), Rows(queryValues, queryRows, dim), dim, name);
        }

        var dimension = Int(options, "dim", 384);
        return (Clustered(count, dimension, 100, 1), Clustered(1_000, dimension, 100, 1), dimension, "clustered synthetic");
    }

    private static float[][] Rows(float[] values, int rows, int dim)
    {
        var result = new float[rows][];
        for (var i = 0; i < rows; i++)
        {
            result[i] = values.AsSpan(i * dim, dim).ToArray();
        }

        return result;
    }

    private static float[][] Clustered(int count, int dimension, int clusters, int seed)
    {
        // Same centers for the base and the queries (same seed), independent noise.
        var random = new Random(seed);
        var centers = Enumerable.Range(0, clusters).Select(_ => Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray()).ToArray();
        var noise = new Random(seed + count);
        var rows = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var center = centers[noise.Next(clusters)];
            rows[i] = [.. center.Select(c => c + (float)((noise.NextDouble() - 0.5) * 0.6))];
        }

        return rows;
    }

    private static Dictionary<string, string> Options(ReadOnlySpan<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unexpected argument '{args[i]}'.", nameof(args));
            }

            values[args[i][2..]] = args[i + 1];
        }

        return values;
    }

    private static int Int(Dictionary<string, string> options, string name, int fallback) =>
        options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    private sealed record LoadResult(double[] Latencies, long Failed, long Written, double[] WriteLatencies);

    /// <summary>One searching client and one writing client (new records, one every 1/rate s), each on its own thread.</summary>
    private sealed class Load(NativeVectorStorage storage, float[][] data, float[][] queries, int writerRate, Dictionary<string, float[]> acknowledged, long next)
    {
        private volatile bool _stopped;
        private readonly List<double> _latencies = new(100_000);
        private readonly List<double> _writeLatencies = new(10_000);
        private long _failed;
        private long _written;
        private Thread? _searcher;
        private Thread? _writer;

        public long Next { get; private set; } = next;

        public void Start()
        {
            _searcher = new Thread(Search) { IsBackground = true, Name = "bench searcher" };
            _writer = new Thread(Write) { IsBackground = true, Name = "bench writer" };
            _searcher.Start();
            _writer.Start();
        }

        public Task<LoadResult> StopAsync()
        {
            _stopped = true;
            _searcher!.Join();
            _writer!.Join();
            var sorted = _latencies.ToArray();
            Array.Sort(sorted);
            var writes = _writeLatencies.ToArray();
            Array.Sort(writes);
            return Task.FromResult(new LoadResult(sorted, _failed, _written, writes));
        }

        private void Search()
        {
            var one = new Stopwatch();
            var options = new SearchOptions { TopK = K };
            for (var q = 0; !_stopped; q = (q + 1) % queries.Length)
            {
                one.Restart();
                try
                {
                    var result = storage.SearchAsync(Index, queries[q], options).AsTask().GetAwaiter().GetResult();
                    if (result.Matches.Count < K)
                    {
                        _failed++;
                    }
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Console.Error.WriteLine($"# search failed: {ex.Message}");
                    _failed++;
                }

                _latencies.Add(one.Elapsed.TotalMilliseconds);
            }
        }

        private void Write()
        {
            var pace = Stopwatch.StartNew();
            long done = 0;
            while (!_stopped)
            {
                var due = (long)(pace.Elapsed.TotalSeconds * writerRate);
                while (done < due && !_stopped)
                {
                    var id = Id("w", Next);
                    var values = data[(int)(Next % data.Length)];
                    var one = Stopwatch.StartNew();
                    storage.UpsertAsync(Index, new VectorRecord(VectorId.Parse(id), values, Metadata.Empty)).AsTask().GetAwaiter().GetResult();
                    _writeLatencies.Add(one.Elapsed.TotalMilliseconds);
                    lock (acknowledged)
                    {
                        acknowledged[id] = values;
                    }

                    Next++;
                    done++;
                    _written++;
                }

                Thread.Sleep(1);
            }
        }
    }
}
