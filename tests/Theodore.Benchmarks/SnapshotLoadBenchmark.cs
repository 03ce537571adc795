using System.Diagnostics;
using System.Globalization;
using Theodore.Engine;
using Theodore.Engine.Durability;

namespace Theodore.Benchmarks;

/// <summary>
/// Builds an index of random unit vectors, writes it as a graph snapshot to the temp directory and loads it back,
/// printing build, write and load times (the load re-runs no graph construction) and checking the answers agree.
/// </summary>
internal static class SnapshotLoadBenchmark
{
    public static int Run(int count, int dimension, int m, int efConstruction)
    {
        var random = new Random(17);
        var records = new EngineRecord[count];
        for (int i = 0; i < count; i++)
        {
            var vector = new float[dimension];
            for (int d = 0; d < dimension; d++)
            {
                vector[d] = (float)((random.NextDouble() * 2) - 1);
            }

            records[i] = new EngineRecord("k" + i.ToString(CultureInfo.InvariantCulture), vector, new Dictionary<string, EngineValue>(StringComparer.Ordinal));
        }

        var options = new VectorIndexOptions { Dimension = dimension, Metric = DistanceMetric.Cosine, M = m, EfConstruction = efConstruction };
        var index = new VectorIndex(options);
        var clock = Stopwatch.StartNew();
        index.UpsertMany(records);
        var build = clock.Elapsed;

        var fs = PhysicalDurableFileSystem.Instance;
        string directory = Path.Combine(Path.GetTempPath(), "theodore-snapshot-load");
        string path = Path.Combine(directory, "snapshot.bin");
        fs.CreateDirectory(directory);
        try
        {
            clock.Restart();
            using (var writer = SnapshotWriter.Create(fs, path, 0, []))
            {
                index.WriteTo(writer, "index/");
                writer.Commit();
            }

            var write = clock.Elapsed;
            long bytes = new FileInfo(path).Length;

            clock.Restart();
            VectorIndex loaded;
            using (var reader = SnapshotReader.Open(fs, path))
            {
                loaded = VectorIndex.ReadFrom(reader, "index/");
            }

            var load = clock.Elapsed;
            int differing = 0;
            for (int q = 0; q < 200; q++)
            {
                var query = records[random.Next(count)].Vector.Span;
                if (!index.Search(query, 10).SequenceEqual(loaded.Search(query, 10)))
                {
                    differing++;
                }
            }

            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"n={count} d={dimension} M={m} efC={efConstruction} threads={Environment.ProcessorCount}: build {build.TotalSeconds:F1} s, write {write.TotalSeconds:F2} s ({bytes / 1048576.0:F0} MiB), load {load.TotalSeconds:F2} s ({build / load:F0}x faster than building), queries answered differently after load: {differing}/200"));
            return differing == 0 ? 0 : 1;
        }
        finally
        {
            fs.DeleteFile(path);
        }
    }
}
