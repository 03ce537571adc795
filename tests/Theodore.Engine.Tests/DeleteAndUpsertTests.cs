namespace Theodore.Engine.Tests;

public sealed class DeleteAndUpsertTests
{
    [Fact]
    public void Search_afterDeletes_neverReturnsDeletedKeys()
    {
        var rows = TestData.Clustered(1500, 16, 12, seed: 3);
        var index = TestData.Build(DistanceMetric.Euclidean, rows);
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < rows.Length; i += 3)
        {
            Assert.True(index.Delete(TestData.Key(i)));
            deleted.Add(TestData.Key(i));
        }

        foreach (var query in rows.Take(60))
        {
            Assert.DoesNotContain(index.Search(query, 10, ef: 32), h => deleted.Contains(h.Key));
            Assert.DoesNotContain(index.Search(query, 10, exact: true), h => deleted.Contains(h.Key));
        }

        Assert.Equal(rows.Length - deleted.Count, index.Count);
        Assert.Null(index.Get(TestData.Key(0)));
        Assert.False(index.Delete(TestData.Key(0)));
    }

    [Fact]
    public void Search_deletedNearestNeighbour_returnsTheNextOne()
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 2, Metric = DistanceMetric.Euclidean });
        index.Upsert("near", [1, 0]);
        index.Upsert("far", [5, 0]);
        index.Delete("near");

        Assert.Equal("far", Assert.Single(index.Search([0, 0], 5)).Key);
    }

    [Fact]
    public void Upsert_existingKey_replacesVectorAndMetadata()
    {
        var rows = TestData.Clustered(800, 8, 8, seed: 4);
        var index = TestData.Build(DistanceMetric.Euclidean, rows, metadata: _ => new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["v"] = 1.0 });
        float[] moved = [50, 50, 50, 50, 50, 50, 50, 50];

        index.Upsert(TestData.Key(10), moved, new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["v"] = 2.0 });

        Assert.Equal(rows.Length, index.Count);
        var top = index.Search(moved, 1)[0];
        Assert.Equal(TestData.Key(10), top.Key);
        Assert.Equal(0f, top.Distance, 1e-6f);
        Assert.DoesNotContain(index.Search(rows[10], 5, exact: true), h => h.Key == TestData.Key(10) && h.Distance < 1e-6f);
        var record = index.Get(TestData.Key(10))!;
        Assert.Equal(moved, record.Vector.ToArray());
        Assert.Equal(2.0, record.Metadata["v"].AsDouble());
        Assert.Equal(1, index.GetMetadataValueCounts()["v"][2.0]);
    }

    [Fact]
    public void Upsert_sameKeyManyTimes_searchReturnsItOnce()
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 3, Metric = DistanceMetric.Cosine });
        for (int i = 0; i < 50; i++)
        {
            index.Upsert("same", [1, i, 0]);
            index.Upsert("other" + i, [0, 1, i]);
        }

        var hits = index.Search([1, 49, 0], 100, ef: 200);

        Assert.Single(hits, h => h.Key == "same");
        Assert.Equal(51, hits.Length);
    }

    [Fact]
    public void Compact_pastThreshold_dropsTombstonesAndKeepsResultsCorrect()
    {
        var rows = TestData.Clustered(2000, 16, 20, seed: 5);
        var index = new VectorIndex(new VectorIndexOptions
        {
            Dimension = 16,
            Metric = DistanceMetric.Euclidean,
            EfConstruction = 100,
            CompactionThreshold = 0.3,
            CompactionMinimumTombstones = 10,
        });
        index.UpsertMany(rows.Select((r, i) => new EngineRecord(TestData.Key(i), r, new Dictionary<string, EngineValue>(StringComparer.Ordinal))).ToArray());
        long before = index.MemoryBytes;

        for (int i = 0; i < rows.Length; i += 2)
        {
            index.Delete(TestData.Key(i));
        }

        // The 30% threshold was crossed at 600 deletes; later deletes leave fewer tombstones than that.
        Assert.True(index.TombstoneCount < 600, $"tombstones {index.TombstoneCount}");
        Assert.Equal(1000, index.Count);
        index.Compact();
        Assert.Equal(0, index.TombstoneCount);
        Assert.True(index.MemoryBytes < before, $"{index.MemoryBytes} >= {before}");

        double recall = 0;
        for (int q = 1; q < 200; q += 2)
        {
            var hits = index.Search(rows[q], 10, ef: 64);
            Assert.All(hits, h => Assert.Equal(1, int.Parse(h.Key.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture) % 2));
            Assert.Equal(TestData.Key(q), hits[0].Key);
            recall += TestData.Recall(hits, index.Search(rows[q], 10, exact: true));
        }

        Assert.True(recall / 100 >= 0.95, $"recall {recall / 100:F3}");
        Assert.NotNull(index.Get(TestData.Key(1)));
    }

    [Fact]
    public void Compact_thenWrites_keepWorkingOnTheNewGraph()
    {
        var rows = TestData.Clustered(1200, 12, 10, seed: 6);
        var index = TestData.Build(DistanceMetric.Cosine, rows);
        for (int i = 0; i < 600; i++)
        {
            index.Delete(TestData.Key(i));
        }

        index.Compact();
        index.Upsert(TestData.Key(0), rows[0]);
        index.Upsert(TestData.Key(700), rows[1]);
        Assert.True(index.Delete(TestData.Key(701)));

        Assert.Equal(600, index.Count);
        Assert.Equal(TestData.Key(0), index.Search(rows[0], 1)[0].Key);
        Assert.Contains(index.Search(rows[1], 2), h => h.Key == TestData.Key(700));
        Assert.DoesNotContain(index.Search(rows[701], 10, ef: 100), h => h.Key == TestData.Key(701));
        int found = 0;
        for (int i = 600; i < rows.Length; i++)
        {
            if (i != 700 && i != 701 && index.Search(rows[i], 1, ef: 64)[0].Key == TestData.Key(i))
            {
                found++;
            }
        }

        Assert.Equal(598, found);
    }
}
