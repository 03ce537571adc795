using System.Buffers.Binary;
using Theodore.Engine.Durability;
using Theodore.Engine.Tests.Snapshots;

namespace Theodore.Engine.Tests;

public sealed class SoftDeleteAndExpiryTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SoftDelete_everyFifthRecord_hiddenFromSearchGetListAndCountsUntilRestored()
    {
        var rows = TestData.Clustered(1200, 16, 10, seed: 21);
        var index = TestData.Build(DistanceMetric.Euclidean, rows, metadata: i => Meta(i));
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Length; i += 5)
        {
            Assert.True(index.SoftDelete(TestData.Key(i), Start));
            hidden.Add(TestData.Key(i));
        }

        Assert.False(index.SoftDelete(TestData.Key(0), Start));
        Assert.Equal(rows.Length - hidden.Count, index.Count);
        Assert.Equal(hidden.Count, index.SoftDeletedCount);
        Assert.Equal(0, index.TombstoneCount);
        var filter = EngineFilter.Eq("group", "g0");
        for (int q = 0; q < rows.Length; q += 40)
        {
            Assert.DoesNotContain(index.Search(rows[q], 10, ef: 64), h => hidden.Contains(h.Key));
            Assert.DoesNotContain(index.Search(rows[q], 10, exact: true), h => hidden.Contains(h.Key));
            Assert.DoesNotContain(index.Search(rows[q], 10, filter: filter), h => hidden.Contains(h.Key));
            Assert.Equal(10, index.Search(rows[q], 10).Length);
        }

        Assert.Null(index.Get(TestData.Key(5)));
        Assert.Equal(EngineRecordState.SoftDeleted, index.StateOf(TestData.Key(5)));
        var deleted = index.Get(TestData.Key(5), includeDeleted: true)!;
        Assert.Equal(Start, deleted.DeletedAt);
        Assert.Equal(rows[5], deleted.Vector.ToArray());
        Assert.Equal(rows.Length - hidden.Count, index.ListKeys(null, 10_000).Count);
        Assert.Equal(rows.Length, index.ListKeys(null, 10_000, includeDeleted: true).Count);
        Assert.Equal((rows.Length / 2) - hidden.Count(k => int.Parse(k[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0), index.GetMetadataValueCounts()["group"][EngineValue.FromString("g0")]);
        Assert.DoesNotContain(index.CheckIntegrity().Problems, p => p.Check != "reachability");

        Assert.True(index.Restore(TestData.Key(5)));
        Assert.False(index.Restore(TestData.Key(5)));
        Assert.False(index.Restore(TestData.Key(6)));
        Assert.Equal(TestData.Key(5), index.Search(rows[5], 1)[0].Key);
        Assert.Equal(TestData.Key(5), index.Search(rows[5], 1, filter: EngineFilter.Eq("group", "g1"))[0].Key);
        Assert.Null(index.Get(TestData.Key(5), includeDeleted: true)!.DeletedAt);
        Assert.Equal(hidden.Count - 1, index.SoftDeletedCount);
    }

    [Fact]
    public void Upsert_ofSoftDeletedKey_replacesItWithALiveRecord()
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 2, Metric = DistanceMetric.Euclidean });
        index.Upsert("a", [1, 0]);
        index.Upsert("b", [5, 0]);
        index.SoftDelete("a", Start);

        index.Upsert("a", [0, 1]);

        Assert.Equal(EngineRecordState.Live, index.StateOf("a"));
        Assert.Equal(0, index.SoftDeletedCount);
        Assert.Equal(2, index.Count);
        Assert.Equal("a", index.Search([0, 1], 1)[0].Key);
        Assert.Empty(index.CheckIntegrity().Problems);
    }

    [Fact]
    public void Expiry_passesOnTheClock_recordDisappearsFromEveryReadWithoutAWrite()
    {
        var clock = new StepClock(Start);
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 3, Metric = DistanceMetric.Cosine }) { Clock = clock };
        index.Upsert("keep", [1, 0, 0], new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["t"] = "x" });
        index.UpsertMany([new EngineRecord("soon", new float[] { 1, 0.1f, 0 }, new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["t"] = "x" }) { ExpiresAt = Start.AddSeconds(10) }]);
        Assert.True(index.SetExpiry("keep", Start.AddHours(1)));
        Assert.True(index.SetExpiry("keep", null));

        Assert.Equal(["keep", "soon"], index.Search([1, 0.1f, 0], 5).Select(h => h.Key).Order(StringComparer.Ordinal), StringComparer.Ordinal);
        Assert.Equal(Start.AddSeconds(10), index.Get("soon")!.ExpiresAt);
        Assert.Equal(1, index.ExpiringCount);

        clock.Now = Start.AddSeconds(10);

        Assert.Equal(["keep"], index.Search([1, 0.1f, 0], 5).Select(h => h.Key), StringComparer.Ordinal);
        Assert.Equal(["keep"], index.Search([1, 0.1f, 0], 5, exact: true).Select(h => h.Key), StringComparer.Ordinal);
        Assert.Equal(["keep"], index.Search([1, 0.1f, 0], 5, filter: EngineFilter.Eq("t", "x")).Select(h => h.Key), StringComparer.Ordinal);
        Assert.Null(index.Get("soon"));
        Assert.Null(index.Get("soon", includeDeleted: true));
        Assert.Equal(EngineRecordState.Expired, index.StateOf("soon"));
        Assert.Equal(["keep"], index.ListKeys(null, 10, includeDeleted: true));
        Assert.Equal(1, index.CountExpired());
        Assert.Equal(["soon"], index.ListHiddenKeys(softDeleted: false, expired: true));
        Assert.NotNull(index.GetStored("soon"));

        Assert.True(index.Delete("soon"));
        Assert.Equal(0, index.ExpiringCount);
        Assert.Empty(index.CheckIntegrity().Problems);
    }

    [Fact]
    public void UpdateMetadata_inPlace_filtersSeeTheNewValueAndNoSlotIsSpent()
    {
        var rows = TestData.Clustered(900, 16, 8, seed: 22);
        var index = TestData.Build(DistanceMetric.Euclidean, rows, metadata: i => Meta(i));
        var before = index.Search(rows[7], 10).Select(h => h.Key).ToArray();

        Assert.True(index.UpdateMetadata(TestData.Key(7), new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["group"] = "moved" }));
        Assert.False(index.UpdateMetadata("missing", new Dictionary<string, EngineValue>(StringComparer.Ordinal)));

        Assert.Equal(0, index.TombstoneCount);
        Assert.Equal(before, index.Search(rows[7], 10).Select(h => h.Key).ToArray());
        Assert.Equal(TestData.Key(7), Assert.Single(index.Search(rows[7], 10, filter: EngineFilter.Eq("group", "moved"))).Key);
        Assert.DoesNotContain(index.Search(rows[7], 50, filter: EngineFilter.Eq("group", "g1")), h => h.Key == TestData.Key(7));
        Assert.False(index.Get(TestData.Key(7))!.Metadata.ContainsKey("n"));
        Assert.Equal(1, index.GetMetadataValueCounts()["group"][EngineValue.FromString("moved")]);
        Assert.DoesNotContain(index.CheckIntegrity().Problems, p => p.Check != "reachability");
    }

    [Fact]
    public void Compact_byTombstones_keepsSoftDeletedRecordsAndExpiries()
    {
        var clock = new StepClock(Start);
        var rows = TestData.Clustered(1000, 8, 6, seed: 23);
        var index = TestData.Build(DistanceMetric.Euclidean, rows);
        index.Clock = clock;
        index.SoftDelete(TestData.Key(1), Start);
        index.SetExpiry(TestData.Key(2), Start.AddMinutes(1));
        for (int i = 100; i < 500; i++)
        {
            index.Delete(TestData.Key(i));
        }

        index.Compact();

        Assert.Equal(0, index.TombstoneCount);
        Assert.Equal(1, index.SoftDeletedCount);
        Assert.Equal(1, index.ExpiringCount);
        Assert.Equal(Start, index.Get(TestData.Key(1), includeDeleted: true)!.DeletedAt);
        Assert.Equal(Start.AddMinutes(1), index.Get(TestData.Key(2))!.ExpiresAt);
        Assert.DoesNotContain(index.Search(rows[1], 5), h => h.Key == TestData.Key(1));
        Assert.True(index.Restore(TestData.Key(1)));
        Assert.Equal(TestData.Key(1), index.Search(rows[1], 1)[0].Key);
        Assert.DoesNotContain(index.CheckIntegrity().Problems, p => p.Check != "reachability");
    }

    [Fact]
    public void ReadFrom_snapshotWithSoftDeletedAndExpiringRecords_keepsTheirState()
    {
        var clock = new StepClock(Start);
        var rows = TestData.Clustered(700, 12, 6, seed: 24);
        var index = TestData.Build(DistanceMetric.Cosine, rows, metadata: i => Meta(i));
        index.Clock = clock;
        for (int i = 0; i < 70; i++)
        {
            index.SoftDelete(TestData.Key(i * 10), Start.AddSeconds(i));
            index.SetExpiry(TestData.Key((i * 10) + 1), Start.AddMinutes(i));
        }

        index.Delete(TestData.Key(3));

        var loaded = SnapshotFiles.RoundTrip(index);
        loaded.Clock = clock;

        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(70, loaded.SoftDeletedCount);
        Assert.Equal(70, loaded.ExpiringCount);
        Assert.Equal(Start.AddSeconds(4), loaded.Get(TestData.Key(40), includeDeleted: true)!.DeletedAt);
        Assert.Equal(Start.AddMinutes(4), loaded.Get(TestData.Key(41))!.ExpiresAt);
        Assert.Null(loaded.Get(TestData.Key(1)));
        Assert.Equal(index.ListKeys(null, 10_000), loaded.ListKeys(null, 10_000));
        Assert.Equal(index.Search(rows[40], 10).Select(h => h.Key), loaded.Search(rows[40], 10).Select(h => h.Key), StringComparer.Ordinal);
        Assert.DoesNotContain(loaded.CheckIntegrity().Problems, p => p.Check != "reachability");
    }

    [Fact]
    public void ReadFrom_formatVersion1Snapshot_stillLoads()
    {
        var rows = TestData.Clustered(300, 8, 4, seed: 25);
        var index = TestData.Build(DistanceMetric.Euclidean, rows, metadata: i => Meta(i));
        index.Delete(TestData.Key(9));
        var current = SnapshotFiles.Write(index);

        // The same sections with the options' version set back to 1 and without format 3's quantization fields at the
        // end of the options: the layout of the first format.
        var old = new CrashSimFileSystem(2);
        old.CreateDirectory(SnapshotFiles.Directory);
        using (var reader = SnapshotReader.Open(current, SnapshotFiles.Path))
        using (var writer = SnapshotWriter.Create(old, SnapshotFiles.Path, 7, []))
        {
            foreach (var section in reader.Sections)
            {
                var bytes = reader.ReadSection(section.Name);
                if (section.Name == SnapshotFiles.Prefix + "options")
                {
                    Assert.Equal(3, BinaryPrimitives.ReadInt32LittleEndian(bytes));
                    BinaryPrimitives.WriteInt32LittleEndian(bytes, 1);
                    bytes = bytes[..^8];
                }

                writer.WriteSection(section.Name, bytes);
            }

            writer.Commit();
        }

        var loaded = SnapshotFiles.Read(old);

        Assert.Equal(index.Count, loaded.Count);
        Assert.Equal(0, loaded.SoftDeletedCount);
        Assert.Equal(index.Search(rows[4], 5).Select(h => h.Key), loaded.Search(rows[4], 5).Select(h => h.Key), StringComparer.Ordinal);
    }

    [Fact]
    public void CheckIntegrity_softDeleteCounterOutOfStep_isReported()
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 2, Metric = DistanceMetric.Euclidean });
        index.Upsert("a", [1, 0]);
        index.Upsert("b", [0, 1]);
        index.SoftDelete("a", Start);
        Assert.Empty(index.CheckIntegrity().Problems);

        // Damage the counter behind the slots' back, as a lost update would.
        var state = index.CurrentState;
        typeof(Graph.IndexState).GetField("_softDeleted", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.SetValue(state, 3);

        var problem = Assert.Single(index.CheckIntegrity().Problems, p => p.Check == "visibility");
        Assert.True(problem.Count >= 1);
    }

    private static Dictionary<string, EngineValue> Meta(int i) =>
        new(StringComparer.Ordinal) { ["group"] = i % 2 == 0 ? "g0" : "g1", ["n"] = (double)i };

    private sealed class StepClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
