using System.Diagnostics;
using Theodore.Engine.Durability;
using Xunit.Abstractions;

namespace Theodore.Engine.Tests.Durability;

/// <summary>
/// Seeded mutations (bit flips, overwritten fields, truncations, extensions, spliced chunks) of small WAL segments,
/// snapshots and manifests. The readers may only succeed or throw <see cref="CorruptDataException"/> or
/// <see cref="UnsupportedFormatVersionException"/>; never another exception, a hang, or an allocation beyond twice
/// the bytes read plus a small constant (a length field is never believed before it is checked).
/// </summary>
public sealed class FuzzTests(ITestOutputHelper output)
{
    private const string Data = "/data";
    private const string WalDirectory = "/data/wal";
    private const string SnapshotPath = "/data/snapshot-00000000000000000009.bin";
    private const string ManifestPath = "/data/CURRENT";
    private const long AllocationAllowance = 16 * 1024;

    [Fact]
    public async Task Readers_given_mutated_files_throw_only_typed_errors_and_allocate_at_most_twice_the_file_size()
    {
        var cases = PowerLossTests.CaseCount("THEODORE_FUZZ_CASES", 100_000);
        var corpus = await BuildCorpusAsync();
        var segments = corpus.Keys.Where(p => p.StartsWith(WalDirectory, StringComparison.Ordinal)).ToArray();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        long worstExcess = long.MinValue;
        for (var seed = 0; seed < cases; seed++)
        {
            var random = new Random(seed);
            var fs = new CrashSimFileSystem(seed);
            fs.CreateDirectory(WalDirectory);
            foreach (var (path, bytes) in corpus)
            {
                fs.WriteAllBytes(path, bytes);
            }

            var kind = random.Next(10);
            var target = kind < 5 ? segments[random.Next(segments.Length)] : kind < 9 ? SnapshotPath : ManifestPath;
            fs.WriteAllBytes(target, ByteMutator.Mutate(corpus[target], random));
            var readBytes = target.StartsWith(WalDirectory, StringComparison.Ordinal)
                ? segments.Sum(p => (long)fs.ReadAllBytes(p).Length)
                : fs.ReadAllBytes(target).Length;

            var clock = Stopwatch.StartNew();
            var before = GC.GetAllocatedBytesForCurrentThread();
            var error = Record.Exception(() => Read(fs, target));
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            clock.Stop();

            var outcome = error?.GetType().Name ?? "ok";
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (error is not null and not CorruptDataException and not UnsupportedFormatVersionException)
            {
                throw new InvalidOperationException($"Fuzz case {seed} on {target} threw an untyped error.", error);
            }

            worstExcess = Math.Max(worstExcess, allocated - (2 * readBytes));
            Assert.True(
                allocated <= (2 * readBytes) + AllocationAllowance,
                $"Fuzz case {seed} on {target} allocated {allocated} bytes reading {readBytes}.");
            // A hang guard, not a benchmark (see GraphSnapshotFuzzTests): minutes would be a bug, seconds a busy runner.
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"Fuzz case {seed} on {target} took {clock.Elapsed}.");
        }

        output.WriteLine($"cases {cases}: {string.Join(", ", outcomes.Select(o => $"{o.Key} {o.Value}"))}; worst allocation over 2x size: {worstExcess} B");
        Assert.True(outcomes.GetValueOrDefault(nameof(CorruptDataException)) > cases / 4);
        Assert.True(outcomes.GetValueOrDefault("ok") > cases / 20);
    }

    private static void Read(CrashSimFileSystem fs, string target)
    {
        if (target.StartsWith(WalDirectory, StringComparison.Ordinal))
        {
            var count = 0;
            WalRecovery.Run(fs, WalDirectory, WriteAheadLogOptions.DefaultMaxRecordLength, 0, _ => count++);
        }
        else if (target == SnapshotPath)
        {
            using var reader = SnapshotReader.Open(fs, SnapshotPath);
            Span<byte> sink = stackalloc byte[512];
            foreach (var section in reader.Sections)
            {
                using var stream = reader.OpenSection(section.Name);
                while (stream.Read(sink) > 0)
                {
                }
            }
        }
        else
        {
            DataManifest.Read(fs, ManifestPath);
        }
    }
    private static async Task<Dictionary<string, byte[]>> BuildCorpusAsync()
    {
        var fs = new CrashSimFileSystem(1);
        var random = new Random(1);
        await using (var wal = WriteAheadLog.Open(fs, new WriteAheadLogOptions { Directory = WalDirectory, SegmentSize = 256 }))
        {
            for (var i = 0; i < 20; i++)
            {
                var payload = new byte[random.Next(0, 60)];
                random.NextBytes(payload);
                await wal.AppendAsync((byte)i, payload);
            }
        }

        using (var writer = SnapshotWriter.Create(fs, SnapshotPath, 9, "user-header-bytes"u8))
        {
            var ids = new byte[200];
            var vectors = new byte[1500];
            random.NextBytes(ids);
            random.NextBytes(vectors);
            writer.WriteSection("ids", ids);
            writer.WriteSection("empty", []);
            writer.WriteSection("vectors", vectors);
            writer.Commit();
        }

        new DataManifest("snapshot-00000000000000000009.bin", 9).Write(fs, ManifestPath);
        var corpus = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var name in fs.ListFiles(WalDirectory))
        {
            corpus[Path.Combine(WalDirectory, name)] = fs.ReadAllBytes(Path.Combine(WalDirectory, name));
        }

        corpus[SnapshotPath] = fs.ReadAllBytes(SnapshotPath);
        corpus[ManifestPath] = fs.ReadAllBytes(ManifestPath);
        Assert.True(corpus.Count >= 5);
        return corpus;
    }
}
