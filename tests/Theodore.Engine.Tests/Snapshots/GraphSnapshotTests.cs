using System.Buffers.Binary;
using Theodore.Engine.Durability;

namespace Theodore.Engine.Tests.Snapshots;

public sealed class GraphSnapshotTests
{
    public static TheoryData<DistanceMetric> Metrics => [DistanceMetric.Cosine, DistanceMetric.Euclidean, DistanceMetric.DotProduct, DistanceMetric.Manhattan];

    [Theory]
    [MemberData(nameof(Metrics))]
    public void ReadFrom_indexWithTombstonesAndMetadata_answersEveryQueryIdentically(DistanceMetric metric)
    {
        var rows = TestData.Clustered(1200, 24, 10, seed: 11);
        var original = BuildWithHistory(metric, rows);

        var loaded = SnapshotFiles.RoundTrip(original);

        Assert.Equal(original.Count, loaded.Count);
        Assert.Equal(original.TombstoneCount, loaded.TombstoneCount);
        Assert.Equal(original.Options, loaded.Options);
        var random = new Random(5);
        var filter = EngineFilter.Eq("group", "g1");
        var range = EngineFilter.Gte("n", 300.0);
        for (int q = 0; q < 150; q++)
        {
            var query = TestData.Gaussian(random, 24, 1.0);
            AssertSameHits(original.Search(query, 10), loaded.Search(query, 10));
            AssertSameHits(original.Search(query, 25, ef: 100), loaded.Search(query, 25, ef: 100));
            AssertSameHits(original.Search(query, 10, filter: filter), loaded.Search(query, 10, filter: filter));
            AssertSameHits(original.Search(query, 10, filter: range), loaded.Search(query, 10, filter: range));
            AssertSameHits(original.Search(query, 5, exact: true), loaded.Search(query, 5, exact: true));
        }

        Assert.All(loaded.Search(rows[3], 50, filter: filter), h => Assert.Equal("g1", loaded.Get(h.Key)!.Metadata["group"].AsString()));
        AssertSameValueCounts(original.GetMetadataValueCounts(), loaded.GetMetadataValueCounts());
        Assert.Equal(original.ListKeys(null, 5_000), loaded.ListKeys(null, 5_000));
        // The load is exact, so the integrity report is too (DotProduct graphs can hold unreachable nodes; see README).
        var before = original.CheckIntegrity();
        var after = loaded.CheckIntegrity();
        Assert.Equal(before.UnreachableCount, after.UnreachableCount);
        Assert.Equal(before.Problems.Select(Describe), after.Problems.Select(Describe), StringComparer.Ordinal);
        Assert.All(after.Problems, p => Assert.Equal("reachability", p.Check));
    }

    [Fact]
    public void ReadFrom_recordsAfterLoad_matchTheOriginalExactly()
    {
        var rows = TestData.Clustered(600, 8, 4, seed: 2);
        var original = BuildWithHistory(DistanceMetric.Cosine, rows);

        var loaded = SnapshotFiles.RoundTrip(original);

        foreach (var key in original.ListKeys(null, 10_000))
        {
            var before = original.Get(key)!;
            var after = loaded.Get(key)!;
            Assert.Equal(before.Vector.ToArray(), after.Vector.ToArray());
            Assert.Equal(before.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), after.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
        }

        Assert.Null(loaded.Get(TestData.Key(0)));
    }

    [Fact]
    public void ReadFrom_loadedIndex_acceptsWritesDeletesAndCompaction()
    {
        var rows = TestData.Clustered(900, 16, 6, seed: 4);
        var loaded = SnapshotFiles.RoundTrip(BuildWithHistory(DistanceMetric.Euclidean, rows));

        loaded.Upsert("fresh", rows[10], new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["group"] = "new" });
        Assert.True(loaded.Delete(TestData.Key(10)));
        loaded.Compact();

        Assert.Equal("fresh", loaded.Search(rows[10], 1)[0].Key);
        Assert.Equal("fresh", Assert.Single(loaded.Search(rows[10], 5, filter: EngineFilter.Eq("group", "new"))).Key);
        Assert.Equal(0, loaded.TombstoneCount);
        Assert.True(loaded.CheckIntegrity().IsHealthy);
    }

    [Fact]
    public void ReadFrom_emptyIndex_loadsEmptyAndUsable()
    {
        var empty = new VectorIndex(new VectorIndexOptions { Dimension = 3, Metric = DistanceMetric.Manhattan, M = 5, Seed = 9 });

        var loaded = SnapshotFiles.RoundTrip(empty);

        Assert.Equal(0, loaded.Count);
        Assert.Empty(loaded.Search([1, 2, 3], 3));
        loaded.Upsert("a", [1, 2, 3]);
        Assert.Equal("a", loaded.Search([1, 2, 3], 3)[0].Key);
    }

    [Fact]
    public void WriteTo_twoIndexesUnderDifferentPrefixes_readsEachBack()
    {
        var first = TestData.Build(DistanceMetric.Euclidean, TestData.Clustered(200, 4, 3, seed: 1));
        var second = TestData.Build(DistanceMetric.DotProduct, TestData.Clustered(300, 6, 3, seed: 2));

        var fs = SnapshotFiles.Write(first, second);

        Assert.Equal(200, SnapshotFiles.Read(fs, 0).Count);
        Assert.Equal(DistanceMetric.DotProduct, SnapshotFiles.Read(fs, 1).Metric);
    }

    [Fact]
    public void ReadFrom_missingSection_throwsCorruptDataNamingIt()
    {
        var fs = SnapshotFiles.Write(TestData.Build(DistanceMetric.Euclidean, TestData.Clustered(50, 4, 2, seed: 1)));
        using var reader = SnapshotReader.Open(fs, SnapshotFiles.Path);

        var error = Assert.Throws<CorruptDataException>(() => VectorIndex.ReadFrom(reader, "other/"));

        Assert.Contains("other/options", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WriteTo_whileSearchesAndWritesRun_producesAConsistentLoadableSnapshot()
    {
        var rows = TestData.Clustered(3000, 16, 8, seed: 6);
        var index = TestData.Build(DistanceMetric.Euclidean, rows[..1000]);
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(() =>
        {
            for (int i = 1000; i < rows.Length && !stop.IsCancellationRequested; i++)
            {
                index.Upsert(TestData.Key(i), rows[i]);
                if (i % 7 == 0)
                {
                    index.Delete(TestData.Key(i - 500));
                }
            }
        });
        var searcher = Task.Run(() =>
        {
            int n = 0;
            while (!stop.IsCancellationRequested)
            {
                Assert.NotEmpty(index.Search(rows[n++ % rows.Length], 5));
            }
        });

        for (int round = 0; round < 5; round++)
        {
            var loaded = SnapshotFiles.RoundTrip(index);
            var report = loaded.CheckIntegrity();
            Assert.True(report.Problems.All(p => p.Check == "reachability"), string.Join("; ", report.Problems));
            Assert.Equal(loaded.Count, loaded.ListKeys(null, 10_000).Count);
        }

        await stop.CancelAsync();
        await Task.WhenAll(writer, searcher);
    }

    // A live slot marked deleted is self-consistent; only the header's live and tombstone counts give it away.
    [Theory]
    [InlineData("links0", 4, 1_000_000, "links0")]
    [InlineData("links0", 4, 0, "links0")]
    [InlineData("options", 52, 5, "options")]
    [InlineData("keys", 0, 0, "keys")]
    [InlineData("vectors", 0, 0x7FC00000, "vectors")]
    [InlineData("levels", 0, 40, "levels")]
    [InlineData("tombstones", 3, 1, "options")]
    public void ReadFrom_validChecksumsButInconsistentSection_throwsCorruptDataNamingTheSection(string section, int offset, int value, string named)
    {
        var fs = SnapshotFiles.Write(TestData.Build(DistanceMetric.Euclidean, TestData.Clustered(40, 4, 2, seed: 1), m: 4));
        var sections = new List<(string Name, byte[] Data)>();
        using (var reader = SnapshotReader.Open(fs, SnapshotFiles.Path))
        {
            sections.AddRange(reader.Sections.Select(s => (s.Name, reader.ReadSection(s.Name))));
        }

        var target = sections.Single(s => s.Name == SnapshotFiles.Prefix + section).Data;
        if (section == "links0")
        {
            // Slot 0's first neighbour: a slot that does not exist, or slot 0 itself.
            Assert.True(BinaryPrimitives.ReadInt32LittleEndian(target) > 0);
        }

        BinaryPrimitives.WriteInt32LittleEndian(target.AsSpan(offset), value);
        using (var writer = SnapshotWriter.Create(fs, SnapshotFiles.Path, 7, []))
        {
            foreach (var (name, data) in sections)
            {
                writer.WriteSection(name, data);
            }

            writer.Commit();
        }

        var error = Assert.Throws<CorruptDataException>(() => SnapshotFiles.Read(fs));

        Assert.Contains($"section '{SnapshotFiles.Prefix}{named}'", error.Message, StringComparison.Ordinal);
    }

    internal static VectorIndex BuildWithHistory(DistanceMetric metric, float[][] rows)
    {
        var index = TestData.Build(metric, rows, m: 8, efConstruction: 64, metadata: Metadata);
        for (int i = 0; i < rows.Length; i += 9)
        {
            index.Delete(TestData.Key(i));
        }

        for (int i = 1; i < rows.Length; i += 13)
        {
            index.Upsert(TestData.Key(i), rows[(i * 7) % rows.Length], Metadata(i + 1));
        }

        Assert.True(index.TombstoneCount > 0);
        return index;
    }

    internal static Dictionary<string, EngineValue> Metadata(int i)
    {
        var values = new Dictionary<string, EngineValue>(StringComparer.Ordinal)
        {
            ["group"] = $"g{i % 5}",
            ["n"] = (double)i,
            ["even"] = i % 2 == 0,
        };
        if (i % 3 == 0)
        {
            values["tags"] = EngineValue.FromStringList([$"t{i % 4}", "shared", $"t{i % 4}"]);
        }

        return values;
    }

    private static string Describe(IntegrityProblem problem) => $"{problem.Check} {problem.Count} {string.Join(",", problem.Examples)}";

    // Hits carry their record's metadata by reference, so the same answer from a loaded index compares by content.
    private static void AssertSameHits(SearchHit[] expected, SearchHit[] actual)
    {
        Assert.Equal(expected.Select(h => (h.Key, h.Distance)), actual.Select(h => (h.Key, h.Distance)));
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i].Metadata!.OrderBy(p => p.Key, StringComparer.Ordinal), actual[i].Metadata!.OrderBy(p => p.Key, StringComparer.Ordinal));
        }
    }

    private static void AssertSameValueCounts(
        IReadOnlyDictionary<string, IReadOnlyDictionary<EngineValue, int>> expected,
        IReadOnlyDictionary<string, IReadOnlyDictionary<EngineValue, int>> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (field, counts) in expected)
        {
            Assert.Equal(counts.Count, actual[field].Count);
            foreach (var (value, count) in counts)
            {
                Assert.Equal(count, actual[field][value]);
            }
        }
    }
}
