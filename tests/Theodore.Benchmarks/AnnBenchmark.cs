using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using Theodore.Engine;
using Theodore.Engine.Durability;

namespace Theodore.Benchmarks;

/// <summary>
/// The ANN runner, printing lines in the peers' format (shared/bench/hnswlib_native.cpp):
/// build on N threads, then every query on one thread per ef, recall@10 against the ground truth.
/// </summary>
internal static class AnnBenchmark
{
    private const int K = 10;

    public static int Run(BenchmarkArguments a)
    {
        string prefix = Path.Combine(a.DataDirectory, a.Name);
        string engine = "theodore";
        string[]? categories = null;
        bool angular = File.ReadAllText(prefix + ".json").Contains("angular", StringComparison.Ordinal);
        var (queries, nq, dim) = VecsFile.Read<float>(prefix + ".query.fvecs");

        // A plain query run from a cached index never reads the base set, so the process's resident memory is the
        // index's (rss_bytes below).
        bool cached = CachePath(a) is { } cache && File.Exists(cache) && a.FilterSelectivity is null && !a.Mixed && a.DeleteFraction is null;
        var (base_, n, _) = cached ? ([], 0, dim) : VecsFile.Read<float>(prefix + ".base.fvecs");
        var (truth, _, gtDim) = VecsFile.Read<int>(prefix + ".groundtruth.ivecs");
        var metric = angular ? DistanceMetric.Cosine : DistanceMetric.Euclidean;
        var options = new VectorIndexOptions
        {
            Dimension = dim, Metric = metric, M = a.M, EfConstruction = a.EfConstruction, Quantization = a.Quantization, RerankFactor = a.RerankFactor,
            VectorFileDirectory = a.VectorFiles,
        };
        if (a.Quantization != VectorQuantization.None)
        {
            engine += "-" + a.Quantization.ToString().ToLowerInvariant() + "-rerank" + a.RerankFactor.ToString(CultureInfo.InvariantCulture)
                + (a.VectorFiles is null ? "" : "-mapped");
        }

        if (a.Mixed)
        {
            return MixedWorkload.Run(a, options, base_, n, queries, nq);
        }

        if (a.DeleteFraction is { } fraction)
        {
            return DeleteWorkload.Run(a, options with { CompactionThreshold = 1 }, base_, n, queries, nq, fraction);
        }

        if (a.FilterSelectivity is { } selectivity)
        {
            int buckets = Math.Max(1, (int)Math.Round(1 / selectivity));
            var random = new Random(7);
            categories = new string[n];
            for (int i = 0; i < n; i++)
            {
                categories[i] = "c" + random.Next(buckets).ToString(CultureInfo.InvariantCulture);
            }

            engine += "-filtered-" + selectivity.ToString(CultureInfo.InvariantCulture);
            var queryCategories = new string[nq];
            for (int q = 0; q < nq; q++)
            {
                queryCategories[q] = "c" + random.Next(buckets).ToString(CultureInfo.InvariantCulture);
            }

            truth = FilteredTruth(base_, n, queries, nq, dim, categories, queryCategories, angular);
            gtDim = K;
            return RunQueries(a, options, base_, n, queries, nq, dim, truth, gtDim, categories, queryCategories, engine);
        }

        return RunQueries(a, options, base_, n, queries, nq, dim, truth, gtDim, null, null, engine);
    }

    private static int RunQueries(
        BenchmarkArguments a, VectorIndexOptions options, float[] base_, int n, float[] queries, int nq, int dim,
        int[] truth, int gtDim, string[]? categories, string[]? queryCategories, string engine)
    {
        var records = new EngineRecord[n];
        var empty = new Dictionary<string, EngineValue>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            IReadOnlyDictionary<string, EngineValue> metadata = categories is null
                ? empty
                : new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["cat"] = categories[i] };
            records[i] = new EngineRecord(i.ToString(CultureInfo.InvariantCulture), base_.AsMemory(i * dim, dim), metadata);
        }

        var clock = Stopwatch.StartNew();
        var (index, build) = BuildOrLoad(a, options, records);
        records = null;

        var filters = queryCategories?.Select(c => EngineFilter.Eq("cat", c)).ToArray();

        // Untimed passes for at least two seconds, so the JIT has tiered the search path up to fully
        // optimized code (the peers are native code; the first ~0.3 s here would run tier-0 code).
        var warmup = Stopwatch.StartNew();
        for (int pass = 0; pass < 3 || warmup.Elapsed.TotalSeconds < 2; pass++)
        {
            for (int q = 0; q < nq; q++)
            {
                index.Search(queries.AsSpan(q * dim, dim), K, a.Efs[0], filter: filters?[q]);
            }
        }

        var found = new int[nq * K];
        foreach (int? factor in a.RerankFactors is { } factors ? factors.Select(f => (int?)f) : [null])
        {
            string label = factor is { } f ? engine.Replace("-rerank" + a.RerankFactor.ToString(CultureInfo.InvariantCulture), "-rerank" + f.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal) : engine;
            foreach (int ef in a.Efs)
            {
                // Untimed passes at this ef first (hnswlib_cached makes one): the timed passes measure the query
                // set's working set warm, as repeated queries find it. With floats in files (--vector-files) a pass
                // pages in the rows this ef reranks; under a memory cap the kernel evicts some of the rows one pass
                // faulted in before a second touch marks them hot, so at a new ef the first pass after a single warm-up
                // still read about 1,250 rows from disk and the second none (int4, 1M, ef 40). So passes repeat until
                // one takes major faults on at most 1 % of the queries (at most 5 passes; warm= on the line). A cold row
                // under a cap is a disk read: always-new queries whose rows do not fit the cap run slower than this.
                int warm = 0;
                long faulted;
                do
                {
                    long before = Faults().Major;
                    for (int q = 0; q < nq; q++)
                    {
                        index.Search(queries.AsSpan(q * dim, dim), K, ef, filter: filters?[q], rerankFactor: factor);
                    }

                    faulted = Faults().Major - before;
                    warm++;
                }
                while (warm < 5 && faulted > nq / 100);

                Array.Fill(found, -1);
                var faults = Faults();
                clock.Restart();
                for (int pass = 0; pass < a.Passes; pass++)
                {
                    for (int q = 0; q < nq; q++)
                    {
                        var hits = index.Search(queries.AsSpan(q * dim, dim), K, Math.Max(ef, K), filter: filters?[q], rerankFactor: factor);
                        for (int j = 0; j < hits.Length; j++)
                        {
                            found[(q * K) + j] = int.Parse(hits[j].Key, CultureInfo.InvariantCulture);
                        }
                    }
                }

                double elapsed = clock.Elapsed.TotalSeconds;
                var (minor, major) = Faults();
                (minor, major) = (minor - faults.Minor, major - faults.Major);
                double recall = Recall(found, truth, nq, gtDim);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a.Name} {label} ef={ef} {build} qps={nq * a.Passes / elapsed:F0} recall={recall:F4} warm={warm} minor_faults={minor} major_faults={major}"));
            }
        }

        var usage = index.GetMemoryUsage();
        GC.Collect();

        // Resident memory as the kernel counts it: anonymous (heap, native blocks) and file-backed pages mapped in. File
        // pages of mapped vectors are page cache the kernel may drop; fault-around maps up to 64 KB of neighbours with
        // every page a rerank touches, so they overstate what reranking needs.
        long anon = StatusBytes("RssAnon"), file = StatusBytes("RssFile"), huge = StatusBytes("AnonHugePages", "/proc/self/smaps_rollup");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{a.Name} {engine} memory_bytes={index.MemoryBytes} mapped_bytes={usage.MappedVectorBytes} rss_anon_bytes={anon} rss_file_bytes={file} anon_huge_bytes={huge}"));
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"# memory: vectors={usage.VectorBytes} graph={usage.GraphBytes} keys={usage.KeyBytes} metadata={usage.MetadataBytes}; budget 1.3*(n*d*4+n*2M*4)={1.3 * ((4.0 * n * dim) + (8.0 * n * options.M)):F0}; GC heap={GC.GetTotalMemory(true)}"));
        GC.KeepAlive(index);
        return 0;
    }

    /// <summary>
    /// Builds the index, or, with <c>--index-cache DIR</c>, loads the snapshot a previous run wrote there for the same
    /// dataset and build options (writing it after a build). Query runs can then alternate with the peers' without a
    /// 1M build each; the second value is "build_s=..." or "load_s=..." for the result lines.
    /// </summary>
    private static (VectorIndex Index, string Build) BuildOrLoad(BenchmarkArguments a, VectorIndexOptions options, EngineRecord[] records)
    {
        var fs = PhysicalDurableFileSystem.Instance;
        string? path = CachePath(a);
        var clock = Stopwatch.StartNew();
        if (path is not null && File.Exists(path))
        {
            using var reader = SnapshotReader.Open(fs, path);
            var loaded = VectorIndex.ReadFrom(reader, "index/", a.VectorFiles);
            return (loaded, string.Create(CultureInfo.InvariantCulture, $"load_s={clock.Elapsed.TotalSeconds:F1}"));
        }

        var index = new VectorIndex(options);
        index.UpsertMany(records, a.Threads);
        double build = clock.Elapsed.TotalSeconds;
        if (path is not null)
        {
            fs.CreateDirectory(a.IndexCache!);
            using var writer = SnapshotWriter.Create(fs, path, 0, []);
            index.WriteTo(writer, "index/");
            writer.Commit();
        }

        return (index, string.Create(CultureInfo.InvariantCulture, $"build_s={build:F1}"));
    }

    // The process's page faults so far (Linux, fields 10 and 12 of /proc/self/stat; zeros elsewhere): minor ones map a
    // page already in memory, major ones read it from disk. In the timed passes of a run with floats in files, a fault
    // is mostly a reranked row whose page the kernel had unmapped (minor) or dropped from the page cache (major), so
    // under a memory cap the counts say whether the query set's rows stayed resident.
    private static (long Minor, long Major) Faults()
    {
        if (!OperatingSystem.IsLinux())
        {
            return (0, 0);
        }

        string stat = File.ReadAllText("/proc/self/stat");
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[7], CultureInfo.InvariantCulture), long.Parse(fields[9], CultureInfo.InvariantCulture));
    }

    // A field of /proc/self/status (or another such file: smaps_rollup) in bytes (Linux), 0 elsewhere.
    private static long StatusBytes(string field, string file = "/proc/self/status")
    {
        if (!OperatingSystem.IsLinux())
        {
            return 0;
        }

        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        return line is null ? 0 : 1024 * long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static string? CachePath(BenchmarkArguments a) =>
        a.IndexCache is null ? null : Path.Combine(a.IndexCache, string.Create(
            CultureInfo.InvariantCulture,
            $"{a.Name}-m{a.M}-efc{a.EfConstruction}{(a.Quantization == VectorQuantization.None ? "" : "-" + a.Quantization + "-rerank" + a.RerankFactor.ToString(CultureInfo.InvariantCulture))}.theodore"));

    private static double Recall(int[] found, int[] truth, int nq, int gtDim)
    {
        long hits = 0;
        var set = new HashSet<int>();
        for (int q = 0; q < nq; q++)
        {
            set.Clear();
            for (int j = 0; j < K; j++)
            {
                set.Add(truth[(q * gtDim) + j]);
            }

            for (int j = 0; j < K; j++)
            {
                if (set.Contains(found[(q * K) + j]))
                {
                    hits++;
                }
            }
        }

        return hits / (double)(nq * K);
    }

    /// <summary>Exact top-10 among the base rows sharing the query's category, by brute force.</summary>
    private static int[] FilteredTruth(float[] base_, int n, float[] queries, int nq, int dim, string[] categories, string[] queryCategories, bool angular)
    {
        var truth = new int[nq * K];
        Parallel.For(0, nq, q =>
        {
            var query = queries.AsSpan(q * dim, dim);
            var best = new List<(float Distance, int Id)>();
            for (int i = 0; i < n; i++)
            {
                if (!string.Equals(categories[i], queryCategories[q], StringComparison.Ordinal))
                {
                    continue;
                }

                var row = base_.AsSpan(i * dim, dim);
                float d = angular ? -TensorPrimitives.CosineSimilarity(query, row) : TensorPrimitives.Distance(query, row);
                best.Add((d, i));
            }

            best.Sort();
            for (int j = 0; j < K; j++)
            {
                truth[(q * K) + j] = j < best.Count ? best[j].Id : -2;
            }
        });
        return truth;
    }
}
