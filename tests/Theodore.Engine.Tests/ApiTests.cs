namespace Theodore.Engine.Tests;

public sealed class ApiTests
{
    private static VectorIndex NewIndex(DistanceMetric metric = DistanceMetric.Cosine) =>
        new(new VectorIndexOptions { Dimension = 3, Metric = metric });

    [Fact]
    public void Upsert_wrongDimension_throwsArgumentException()
    {
        var index = NewIndex();
        Assert.Throws<ArgumentException>(() => index.Upsert("a", [1, 2]));
        Assert.Throws<ArgumentException>(() => index.Search([1, 2, 3, 4], 1));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Upsert_nonFiniteValue_throwsArgumentException(float bad)
    {
        var index = NewIndex(DistanceMetric.Euclidean);
        Assert.Throws<ArgumentException>(() => index.Upsert("a", [1, bad, 0]));
        Assert.Throws<ArgumentException>(() => index.Search([bad, 0, 0], 1));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Upsert_zeroVectorForCosine_throwsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => NewIndex().Upsert("a", [0, 0, 0]));
        NewIndex(DistanceMetric.Euclidean).Upsert("a", [0, 0, 0]);
    }

    [Fact]
    public void Upsert_badKeysAndArguments_throwArgumentExceptions()
    {
        var index = NewIndex();
        Assert.Throws<ArgumentNullException>(() => index.Upsert(null!, [1, 0, 0]));
        Assert.Throws<ArgumentException>(() => index.Upsert("", [1, 0, 0]));
        Assert.Throws<ArgumentException>(() => index.Upsert(new string('x', 513), [1, 0, 0]));
        index.Upsert(new string('x', 512), [1, 0, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search([1, 0, 0], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search([1, 0, 0], 1, ef: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VectorIndex(new VectorIndexOptions { Dimension = 0, Metric = DistanceMetric.Cosine }));
        Assert.Throws<ArgumentException>(() => EngineFilter.Eq("f", EngineValue.FromStringList(["a"])));
        Assert.Throws<ArgumentOutOfRangeException>(() => EngineValue.FromDouble(double.NaN));
        Assert.Throws<ArgumentException>(() => EngineFilter.Eq("f", default));
        Assert.Throws<ArgumentException>(() => index.Upsert("m", [1, 0, 0], new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["f"] = default }));
    }

    [Fact]
    public void UpsertMany_oneBadRecord_storesNothing()
    {
        var index = NewIndex();
        var records = new[]
        {
            new EngineRecord("a", new float[] { 1, 0, 0 }, new Dictionary<string, EngineValue>(StringComparer.Ordinal)),
            new EngineRecord("b", new float[] { 1, float.NaN, 0 }, new Dictionary<string, EngineValue>(StringComparer.Ordinal)),
        };

        Assert.Throws<ArgumentException>(() => index.UpsertMany(records));
        Assert.Equal(0, index.Count);
    }

    [Fact]
    public void Get_storedRecord_returnsNormalizedVectorAndMetadata()
    {
        var index = NewIndex();
        index.Upsert("a", [3, 0, 4], new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["k"] = "v" });

        var record = index.Get("a")!;

        Assert.Equal([0.6f, 0, 0.8f], record.Vector.ToArray());
        Assert.Equal("v", record.Metadata["k"].AsString());
        Assert.Null(index.Get("missing"));
        Assert.True(index.Contains("a"));
    }

    [Fact]
    public void Search_emptyIndex_returnsNothing()
    {
        Assert.Empty(NewIndex().Search([1, 0, 0], 5));
        Assert.Empty(NewIndex().Search([1, 0, 0], 5, exact: true));
    }

    [Fact]
    public void ListKeys_fromCursor_pagesInOrdinalOrder()
    {
        var index = NewIndex();
        string[] keys = ["b", "a", "B", "c10", "c2", "é"];
        foreach (var key in keys)
        {
            index.Upsert(key, [1, 1, 1]);
        }

        var all = new List<string>();
        string? cursor = null;
        while (true)
        {
            var page = index.ListKeys(cursor, 2);
            if (page.Count == 0)
            {
                break;
            }

            all.AddRange(page);
            cursor = page[^1];
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), all, StringComparer.Ordinal);
        index.Delete("a");
        Assert.Equal("B", index.ListKeys(null, 1)[0]);
        Assert.Equal("c10", index.ListKeys("bb", 1)[0]);
    }

    [Fact]
    public void ListKeys_withFilter_returnsOnlyMatchingKeysInOrder()
    {
        var index = NewIndex();
        for (int i = 0; i < 30; i++)
        {
            index.Upsert(TestData.Key(i), [1, i, 1], new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["even"] = i % 2 == 0 });
        }

        var first = index.ListKeys(null, 4, EngineFilter.Eq("even", true));
        var next = index.ListKeys(first[^1], 100, EngineFilter.Eq("even", true));

        Assert.Equal([TestData.Key(0), TestData.Key(2), TestData.Key(4), TestData.Key(6)], first, StringComparer.Ordinal);
        Assert.Equal(11, next.Count);
        Assert.Equal(TestData.Key(8), next[0]);
    }

    [Fact]
    public void MemoryBytes_oneSmallRecord_staysUnderOneMegabyte()
    {
        // An adapter may hold many small indexes; the first chunk must not be sized for millions.
        var index = NewIndex();
        index.Upsert("a", [1, 2, 3]);

        Assert.InRange(index.MemoryBytes, 1, 1 << 20);
    }

    [Fact]
    public void MemoryBytes_growsWithRecordsAndCoversVectorsAndLinks()
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 64, Metric = DistanceMetric.Euclidean });
        long empty = index.MemoryBytes;
        var rows = TestData.Clustered(5000, 64, 10, seed: 30);
        index.UpsertMany(rows.Select((r, i) => new EngineRecord(TestData.Key(i), r, new Dictionary<string, EngineValue>(StringComparer.Ordinal))).ToArray());

        var usage = index.GetMemoryUsage();
        long payload = 5000L * 64 * 4;
        long links = 5000L * 2 * 16 * 4;
        Assert.True(usage.VectorBytes >= payload, $"vectors {usage.VectorBytes}");
        Assert.True(usage.GraphBytes >= links, $"graph {usage.GraphBytes}");
        Assert.True(usage.KeyBytes > 5000L * 7 * 2, $"keys {usage.KeyBytes}");
        Assert.True(index.MemoryBytes > empty);
        Assert.True(index.MemoryBytes < 2 * (payload + links + (5000L * 100)), $"total {index.MemoryBytes}");
    }
}
