using System.Diagnostics;
using System.Globalization;
using Theodore.Adapters.Native;
using Theodore.Core.Domain;
using Theodore.Engine.Durability;

namespace Theodore.Benchmarks;

/// <summary>
/// The native storage's durable write and restart costs: Sync writes in batches (against the same writes in memory),
/// restart from the log alone (the graph is built from the records, so mostly graph build time), and restart from a
/// snapshot plus a log tail (the graph is loaded; only the tail's records are inserted).
/// </summary>
internal static class DurabilityBenchmark
{
    private static readonly IndexName Index = IndexName.Parse("bench");
    private static int s_maxUnindexed;

    public static async Task<int> RunAsync(ReadOnlyMemory<string> args)
    {
        var options = Options(args.Span);
        var count = Int(options, "count", 100_000);
        var dimension = Int(options, "dim", 384);
        var batch = Int(options, "batch", 100);
        var tail = Int(options, "tail", 10_000);
        var efConstruction = Int(options, "ef-construction", HnswOptions.DefaultEfConstruction);
        s_maxUnindexed = Int(options, "max-unindexed", new NativeOptions().MaxUnindexedVectors);
        var root = options.TryGetValue("dir", out var dir) ? dir : Path.Combine(Path.GetTempPath(), "theodore-durability-bench");
        // Uniform random vectors by default (the hardest case for a graph); --data reads real embeddings from an .fvecs file.
        var data = options.TryGetValue("data", out var file) ? Load(file, count + tail, out dimension) : Generate(count + tail, dimension);
        var definition = new IndexDefinition(Index, dimension, DistanceMetric.Euclidean, hnsw: new HnswOptions(HnswOptions.DefaultM, efConstruction));
        Console.WriteLine(FormattableString.Invariant($"durability: {count} x {dimension} ({(file is null ? "uniform random" : Path.GetFileName(file))}), batches of {batch}, tail {tail}, M {HnswOptions.DefaultM}, efConstruction {efConstruction}, max unindexed {s_maxUnindexed}, {Environment.ProcessorCount} cores"));

        if (options.ContainsKey("sync-only"))
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }

            var alone = await WriteAsync(NativeStorage(root, DurabilityMode.Sync), definition, data, 0, count, batch).ConfigureAwait(false);
            Console.WriteLine(FormattableString.Invariant($"write Sync: {alone:F0} vectors/s acknowledged"));
            Directory.Delete(root, recursive: true);
            return 0;
        }

        var memoryRate = await WriteAsync(NativeStorage(root, DurabilityMode.None), definition, data, 0, count, batch).ConfigureAwait(false);
        Console.WriteLine(FormattableString.Invariant($"write None (memory only): {memoryRate:F0} vectors/s"));

        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var syncRate = await WriteAsync(NativeStorage(root, DurabilityMode.Sync), definition, data, 0, count, batch).ConfigureAwait(false);
        Console.WriteLine(FormattableString.Invariant($"write Sync: {syncRate:F0} vectors/s acknowledged ({syncRate / memoryRate:P0} of memory only)"));

        // Writers of one index take turns around append and apply, so they cannot share a sync: compare 1 and 4 writers.
        var small = Math.Min(count, 20_000);
        foreach (var writers in new[] { 1, 4 })
        {
            var other = Path.Combine(root, "writers-" + writers.ToString(CultureInfo.InvariantCulture));
            var rate = await WriteAsync(NativeStorage(other, DurabilityMode.Sync), definition, data, 0, small, batch, writers: writers).ConfigureAwait(false);
            Console.WriteLine(FormattableString.Invariant($"write Sync, {writers} concurrent writer(s), {small} vectors: {rate:F0} vectors/s"));
            Directory.Delete(other, recursive: true);
        }

        var walOnly = Stopwatch.StartNew();
        await using (var reopened = NativeStorage(root, DurabilityMode.Sync))
        {
            walOnly.Stop();
            Console.WriteLine(FormattableString.Invariant($"restart from the log only ({count} records): {walOnly.Elapsed.TotalSeconds:F2} s"));
            var checkpoint = Stopwatch.StartNew();
            await reopened.CheckpointAsync().ConfigureAwait(false);
            Console.WriteLine(FormattableString.Invariant($"checkpoint of {count} records: {checkpoint.Elapsed.TotalSeconds:F2} s"));
        }

        await WriteAsync(NativeStorage(root, DurabilityMode.Sync), definition, data, count, tail, batch, create: false).ConfigureAwait(false);
        var snapshotAndTail = Stopwatch.StartNew();
        await using (var restarted = NativeStorage(root, DurabilityMode.Sync))
        {
            snapshotAndTail.Stop();
            var ready = snapshotAndTail.Elapsed;
            var unindexed = (await restarted.GetStatsAsync(Index).ConfigureAwait(false)).UnindexedVectors;
            var query = data[count + (tail / 2)].Values;
            var searching = Stopwatch.StartNew();
            var found = await restarted.SearchAsync(Index, query, new SearchOptions { TopK = 10 }).ConfigureAwait(false);
            searching.Stop();
            var latencies = new List<double>();
            for (var i = 0; i < 21; i++)
            {
                var one = Stopwatch.StartNew();
                await restarted.SearchAsync(Index, data[count + i].Values, new SearchOptions { TopK = 10 }).ConfigureAwait(false);
                latencies.Add(one.Elapsed.TotalMilliseconds);
            }

            latencies.Sort();
            var indexed = await UntilIndexedAsync(restarted).ConfigureAwait(false);
            Console.WriteLine(FormattableString.Invariant(
                $"restart from a snapshot ({count}) plus a log tail ({tail}): ready in {ready.TotalSeconds:F2} s with {unindexed} vectors not yet in the graph (first search {searching.Elapsed.TotalMilliseconds:F1} ms, median of the next 21 {latencies[10]:F2} ms, top hit {(found.Matches.Count > 0 && found.Matches[0].Id == data[count + (tail / 2)].Id ? "exact" : "WRONG")}); graph complete {indexed.TotalSeconds:F2} s later"));
        }
        var build = Stopwatch.StartNew();
        await WriteAsync(NativeStorage(root, DurabilityMode.None), definition, data, 0, count + tail, count + tail).ConfigureAwait(false);
        Console.WriteLine(FormattableString.Invariant($"for comparison, one in-memory UpsertMany of {count + tail} records (the graph build alone): {build.Elapsed.TotalSeconds:F2} s"));
        Directory.Delete(root, recursive: true);
        return 0;
    }

    private static NativeVectorStorage NativeStorage(string root, DurabilityMode mode) =>
        new(new NativeOptions { DataPath = root, Durability = mode, SnapshotWalBytes = 64L * 1024 * 1024 * 1024, MaxUnindexedVectors = s_maxUnindexed });

    private static async Task<double> WriteAsync(NativeVectorStorage storage, IndexDefinition definition, VectorRecord[] data, int from, int count, int batch, bool create = true, int writers = 1)
    {
        await using (storage.ConfigureAwait(false))
        {
            if (create)
            {
                await storage.CreateIndexAsync(definition).ConfigureAwait(false);
            }

            var clock = Stopwatch.StartNew();
            var next = from - batch;
            await Task.WhenAll(Enumerable.Range(0, writers).Select(_ => Task.Run(async () =>
            {
                int start;
                while ((start = Interlocked.Add(ref next, batch)) < from + count)
                {
                    var size = Math.Min(batch, from + count - start);
                    var result = await storage.UpsertManyAsync(Index, new ArraySegment<VectorRecord>(data, start, size), options: new BatchOptions { MaxChunkRecords = Math.Max(size, 1) }).ConfigureAwait(false);
                    if (!result.IsComplete)
                    {
                        throw new InvalidOperationException(result.Errors[0].Message);
                    }
                }
            }))).ConfigureAwait(false);

            var acknowledged = clock.Elapsed;
            var rate = count / acknowledged.TotalSeconds;
            var indexed = await UntilIndexedAsync(storage).ConfigureAwait(false);
            Console.WriteLine(FormattableString.Invariant($"  ({count} vectors acknowledged in {acknowledged.TotalSeconds:F2} s; the graph held all of them {indexed.TotalSeconds:F2} s after the last acknowledgement)"));
            return rate;
        }
    }

    // Writes are acknowledged before the graph links them; this waits until it has (searches were exact meanwhile).
    private static async Task<TimeSpan> UntilIndexedAsync(NativeVectorStorage storage)
    {
        var clock = Stopwatch.StartNew();
        while ((await storage.GetStatsAsync(Index).ConfigureAwait(false)).UnindexedVectors > 0)
        {
            await Task.Delay(10).ConfigureAwait(false);
        }

        return clock.Elapsed;
    }

    private static VectorRecord[] Load(string path, int count, out int dimension)
    {
        var (values, rows, dim) = VecsFile.Read<float>(path);
        if (rows < count)
        {
            throw new ArgumentException($"{path} holds {rows} vectors; the run needs count + tail = {count}.", nameof(path));
        }

        dimension = dim;
        var records = new VectorRecord[count];
        for (var i = 0; i < count; i++)
        {
            records[i] = new VectorRecord(VectorId.Parse(i.ToString("D8", CultureInfo.InvariantCulture)), values.AsSpan(i * dim, dim).ToArray(), Metadata.Empty);
        }

        return records;
    }

    private static VectorRecord[] Generate(int count, int dimension)
    {
        var random = new Random(42);
        var records = new VectorRecord[count];
        for (var i = 0; i < count; i++)
        {
            var values = new float[dimension];
            for (var d = 0; d < dimension; d++)
            {
                values[d] = (float)random.NextDouble();
            }

            records[i] = new VectorRecord(VectorId.Parse(i.ToString("D8", CultureInfo.InvariantCulture)), values, Metadata.Empty);
        }

        return records;
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
}
