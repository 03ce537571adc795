using System.Diagnostics;
using Theodore.Engine.Durability;
using Xunit.Abstractions;

namespace Theodore.Engine.Tests.Snapshots;

/// <summary>
/// Seeded mutations of a small graph snapshot. Whole-file mutations exercise the container's checksums; section
/// mutations are written back into a well-formed container with valid checksums, so they reach the index reader
/// itself. Reading may only succeed (and the index then answers searches and integrity checks) or throw
/// <see cref="CorruptDataException"/>; its allocation stays within twice the file plus a fixed allowance.
/// </summary>
public sealed class GraphSnapshotFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 3_000;

    // The arena's first chunk at the worst options a mutation can produce (about 1 MiB of vectors and, at M = 128,
    // 4 MiB of layer-0 links), the 1,024 stripe locks of a state and the section buffers: fixed, not per byte.
    private const long FixedAllowance = 8L * 1024 * 1024;

    [Fact]
    public void ReadFrom_mutatedSnapshots_throwsOnlyCorruptDataAndBoundsAllocation()
    {
        // One corpus per quantization kind, taken in turn, so loaded indexes search on 8-, 4- and 1-bit codes.
        var corpora = new[] { VectorQuantization.Int8, VectorQuantization.Int4, VectorQuantization.Binary }
            .Select(kind => BuildCorpus(kind)).Select(file => (File: file, Sections: ReadSections(file))).ToArray();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        long worstExcess = long.MinValue;
        for (int seed = 0; seed < Cases; seed++)
        {
            var random = new Random(seed);
            var (original, sections) = corpora[(seed / 3) % corpora.Length];
            byte[] file;
            string target;
            if (seed % 3 == 0)
            {
                target = "file";
                file = ByteMutator.Mutate(original, random);
            }
            else
            {
                var (name, _) = sections[random.Next(sections.Count)];
                target = name;
                file = Rewrap(sections, name, random);
            }

            var fs = new CrashSimFileSystem(seed);
            fs.CreateDirectory(SnapshotFiles.Directory);
            fs.WriteAllBytes(SnapshotFiles.Path, file);

            var clock = Stopwatch.StartNew();
            long before = GC.GetAllocatedBytesForCurrentThread();
            VectorIndex? loaded = null;
            var error = Record.Exception(() => loaded = SnapshotFiles.Read(fs));
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            clock.Stop();

            string outcome = error is null ? "ok" : error.GetType().Name;
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            // A whole-file mutation can hit the container's version field, which the container reports as its own typed error.
            bool typed = error is CorruptDataException || (error is UnsupportedFormatVersionException && target == "file");
            if (error is not null && !typed)
            {
                throw new InvalidOperationException($"Fuzz case {seed} ({target}) threw an untyped error.", error);
            }

            if (loaded is not null)
            {
                loaded.CheckIntegrity();
                if (loaded.Count > 0)
                {
                    loaded.Search(new float[loaded.Dimension].Select((_, i) => i + 1f).ToArray(), 5);
                }
            }

            worstExcess = Math.Max(worstExcess, allocated - (2L * file.Length));
            Assert.True(allocated <= (2L * file.Length) + FixedAllowance, $"Fuzz case {seed} ({target}) allocated {allocated} bytes reading {file.Length}.");
            // A hang guard, not a benchmark: a pathological read of a file this size takes minutes, while a test host
            // descheduled on a busy 2-core runner can stall for seconds; 20 s tells the two apart without flaking.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Fuzz case {seed} ({target}) took {clock.Elapsed}.");
        }

        output.WriteLine($"cases {Cases}: {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}; worst allocation over 2x size: {worstExcess} B");
        Assert.True(outcomes.GetValueOrDefault(nameof(CorruptDataException)) > Cases / 2);
        Assert.True(outcomes.GetValueOrDefault("ok") > 0);
    }

    private static byte[] BuildCorpus(VectorQuantization kind)
    {
        var rows = TestData.Clustered(80, 4, 3, seed: 8);
        // Quantized, so mutations reach the quantization fields and loaded indexes search on codes.
        var index = TestData.Build(DistanceMetric.Cosine, rows, m: 4, efConstruction: 16, metadata: GraphSnapshotTests.Metadata, quantization: kind, rerankFactor: 3);
        for (int i = 0; i < rows.Length; i += 6)
        {
            index.Delete(TestData.Key(i));
        }

        index.Upsert(TestData.Key(1), rows[2], GraphSnapshotTests.Metadata(5));
        return SnapshotFiles.Write(index).ReadAllBytes(SnapshotFiles.Path);
    }

    private static List<(string Name, byte[] Data)> ReadSections(byte[] file)
    {
        var fs = new CrashSimFileSystem(0);
        fs.CreateDirectory(SnapshotFiles.Directory);
        fs.WriteAllBytes(SnapshotFiles.Path, file);
        using var reader = SnapshotReader.Open(fs, SnapshotFiles.Path);
        return reader.Sections.Select(s => (s.Name, reader.ReadSection(s.Name))).ToList();
    }

    private static byte[] Rewrap(List<(string Name, byte[] Data)> sections, string target, Random random)
    {
        var fs = new CrashSimFileSystem(0);
        fs.CreateDirectory(SnapshotFiles.Directory);
        using (var writer = SnapshotWriter.Create(fs, SnapshotFiles.Path, 7, []))
        {
            foreach (var (name, data) in sections)
            {
                writer.WriteSection(name, name == target ? ByteMutator.Mutate(data, random) : data);
            }

            writer.Commit();
        }

        return fs.ReadAllBytes(SnapshotFiles.Path);
    }
}
