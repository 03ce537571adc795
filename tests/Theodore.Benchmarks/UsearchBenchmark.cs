using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cloud.Unum.USearch;

namespace Theodore.Benchmarks;

/// <summary>
/// USearch (Cloud.Unum.USearch, which ships the native libusearch_c) under the protocol of <c>ann</c> and the peers in
/// peers/: connectivity (M) 16, expansion_add 200, a build on N threads, then one thread answering the query set
/// PASSES times per ef, recall@10. Unlike ../shared/bench/usearch, which builds in every run, each kind's index is
/// saved to the index cache after its build and loaded by later runs (the line then says load_s), so a 1M set can be
/// measured in alternating rounds beside the other engines (run-scale.sh). Angular sets are unit-norm and indexed
/// with inner product, as hnswlib does; euclidean with L2sq. i8 quantizes x * 127 / max |x| over the base set, as
/// the shared harness does (USearch's own cast scales each vector to unit length and truncates).
/// </summary>
internal static partial class UsearchBenchmark
{
    private const int K = 10;
    private const ulong Connectivity = 16;
    private const ulong ExpansionAdd = 200;

    public static int Run(BenchmarkArguments options)
    {
        using var meta = JsonDocument.Parse(File.ReadAllText(Path.Combine(options.DataDirectory, options.Name + ".json")));
        bool angular = meta.RootElement.GetProperty("metric").GetString() == "angular";
        var (queries, queryCount, dim) = VecsFile.Read<float>(Path.Combine(options.DataDirectory, options.Name + ".query.fvecs"));
        var (truth, _, truthK) = VecsFile.Read<int>(Path.Combine(options.DataDirectory, options.Name + ".groundtruth.ivecs"));
        float[][] queryRows = Rows(queries, queryCount, dim);
        Console.Error.WriteLine($"usearch {USearchCapabilities.Version()}, SIMD: {USearchCapabilities.HardwareAccelerationAvailable()}");

        // One scale for the whole base set, computed before any index is built or loaded: i8 queries need it too.
        float[][]? baseRows = null;
        float scale = 0;
        string ScalePath() => Path.Combine(options.IndexCache!, $"{options.Name}.usearch-i8-scale");
        foreach (string kind in options.UsearchKinds!)
        {
            string? path = options.IndexCache is null ? null : Path.Combine(options.IndexCache, $"{options.Name}-m16-efc200.usearch-{kind}");
            bool cached = path is not null && File.Exists(path);
            if (kind == "i8" && scale == 0)
            {
                if (cached && File.Exists(ScalePath()))
                {
                    scale = float.Parse(File.ReadAllText(ScalePath()), CultureInfo.InvariantCulture);
                }
                else
                {
                    baseRows ??= ReadBase(options);
                    scale = 127 / baseRows.Max(row => row.Max(MathF.Abs));
                    if (options.IndexCache is not null)
                    {
                        File.WriteAllText(ScalePath(), scale.ToString("R", CultureInfo.InvariantCulture));
                    }
                }
            }

            var scalar = kind switch
            {
                "f32" => ScalarKind.Float32,
                "f16" => ScalarKind.Float16,
                "i8" => ScalarKind.Int8,
                _ => throw new ArgumentException($"unknown kind '{kind}' (f32, f16 or i8)", nameof(options)),
            };

            var clock = Stopwatch.StartNew();
            string timing;
            USearchIndex index;
            if (cached)
            {
                index = new USearchIndex(path!);
                timing = string.Create(CultureInfo.InvariantCulture, $"load_s={clock.Elapsed.TotalSeconds:F1}");
            }
            else
            {
                baseRows ??= ReadBase(options);
                index = Build(baseRows, scalar, angular, options.Threads, scale);
                timing = string.Create(CultureInfo.InvariantCulture, $"build_s={clock.Elapsed.TotalSeconds:F1}");
                if (path is not null)
                {
                    Directory.CreateDirectory(options.IndexCache!);
                    index.Save(path);
                }
            }

            using (index)
            {
                Measure(options, kind, index, timing, queryRows, truth, truthK, scale);
            }
        }

        return 0;
    }

    private static USearchIndex Build(float[][] rows, ScalarKind scalar, bool angular, int threads, float scale)
    {
        var index = new USearchIndex(angular ? MetricKind.Ip : MetricKind.L2sq, scalar, (ulong)rows[0].Length, Connectivity, ExpansionAdd);
        var handle = Native.Handle(index);

        // Room for every vector and every adding thread before the clock's work starts, as hnswlib allocates in its
        // constructor; the wrapper's Add would otherwise grow the index one vector at a time.
        Native.Reserve(handle, (nuint)rows.Length, out var error);
        Native.Check(error);
        Native.ChangeThreadsAdd(handle, (nuint)threads, out error);
        Native.Check(error);
        Add(0);
        Parallel.For(1, rows.Length, new ParallelOptions { MaxDegreeOfParallelism = threads }, Add);
        return index;

        void Add(int i)
        {
            if (scalar == ScalarKind.Int8)
            {
                index.Add((ulong)i, Quantize(rows[i], scale));
            }
            else
            {
                index.Add((ulong)i, rows[i]);
            }
        }
    }

    private static void Measure(BenchmarkArguments options, string kind, USearchIndex index, string timing, float[][] queries, int[] truth, int truthK, float scale)
    {
        var handle = Native.Handle(index);
        Search(queries[0]); // the managed search path JIT-compiled before any timing
        foreach (int ef in options.Efs)
        {
            Native.ChangeExpansionSearch(handle, (nuint)Math.Max(ef, K), out var error);
            Native.Check(error);
            var found = new ulong[queries.Length][];
            var clock = Stopwatch.StartNew();
            for (int pass = 0; pass < options.Passes; pass++)
            {
                for (int q = 0; q < queries.Length; q++)
                {
                    found[q] = Search(queries[q]);
                }
            }

            double elapsed = clock.Elapsed.TotalSeconds;
            int hits = 0;
            for (int q = 0; q < queries.Length; q++)
            {
                var expected = truth.AsSpan(q * truthK, K).ToArray().ToHashSet();
                hits += found[q].Count(key => expected.Contains((int)key));
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{options.Name} usearch-{kind} ef={ef} {timing} qps={queries.Length * options.Passes / elapsed:F0} recall={(double)hits / (queries.Length * K):F4}"));
        }

        nuint memory = Native.MemoryUsage(handle, out var memoryError);
        Native.Check(memoryError);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{options.Name} usearch-{kind} memory_bytes={memory}"));

        ulong[] Search(float[] query)
        {
            ulong[] keys;
            _ = kind == "i8" ? index.Search(Quantize(query, scale), K, out keys, out _) : index.Search(query, K, out keys, out _);
            return keys;
        }
    }

    private static float[][] ReadBase(BenchmarkArguments options)
    {
        var (data, rows, dim) = VecsFile.Read<float>(Path.Combine(options.DataDirectory, options.Name + ".base.fvecs"));
        return Rows(data, rows, dim);
    }

    private static float[][] Rows(float[] flat, int rows, int dim)
    {
        var result = new float[rows][];
        for (int i = 0; i < rows; i++)
        {
            result[i] = flat.AsSpan(i * dim, dim).ToArray();
        }

        return result;
    }

    private static sbyte[] Quantize(float[] vector, float scale) =>
        Array.ConvertAll(vector, x => (sbyte)Math.Clamp(MathF.Round(x * scale), -127, 127));

    /// <summary>libusearch_c entry points the managed wrapper does not expose (signatures from usearch.h).</summary>
    private static partial class Native
    {
        private static readonly FieldInfo IndexField =
            typeof(USearchIndex).GetField("_index", BindingFlags.NonPublic | BindingFlags.Instance)
            ?? throw new InvalidOperationException("USearchIndex has no _index field: the wrapper changed");

        public static IntPtr Handle(USearchIndex index) => (IntPtr)IndexField.GetValue(index)!;

        [LibraryImport("libusearch_c", EntryPoint = "usearch_reserve")]
        public static partial void Reserve(IntPtr index, nuint capacity, out IntPtr error);

        [LibraryImport("libusearch_c", EntryPoint = "usearch_change_threads_add")]
        public static partial void ChangeThreadsAdd(IntPtr index, nuint threads, out IntPtr error);

        [LibraryImport("libusearch_c", EntryPoint = "usearch_change_expansion_search")]
        public static partial void ChangeExpansionSearch(IntPtr index, nuint expansion, out IntPtr error);

        [LibraryImport("libusearch_c", EntryPoint = "usearch_memory_usage")]
        public static partial nuint MemoryUsage(IntPtr index, out IntPtr error);

        public static void Check(IntPtr error)
        {
            if (error != IntPtr.Zero)
            {
                throw new InvalidOperationException(Marshal.PtrToStringAnsi(error));
            }
        }
    }
}
