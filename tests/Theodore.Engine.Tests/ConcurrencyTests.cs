namespace Theodore.Engine.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public void UpsertAndSearch_concurrently_everyInsertedKeyIsFoundAfterwards()
    {
        const int writers = 3;
        const int perWriter = 1500;
        var rows = TestData.Clustered(writers * perWriter, 16, 25, seed: 11);
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 16, Metric = DistanceMetric.Euclidean, EfConstruction = 64 });
        using var stop = new CancellationTokenSource();
        int searches = 0;
        Exception? failure = null;

        var readers = Enumerable.Range(0, 2).Select(r => new Thread(() =>
        {
            try
            {
                var random = new Random(r);
                while (!stop.IsCancellationRequested)
                {
                    var hits = index.Search(rows[random.Next(rows.Length)], 10, ef: 32);
                    if (hits.Select(h => h.Key).Distinct(StringComparer.Ordinal).Count() != hits.Length)
                    {
                        throw new InvalidOperationException("duplicate key in results");
                    }

                    Interlocked.Increment(ref searches);
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        })).ToList();
        readers.ForEach(t => t.Start());

        var writerThreads = Enumerable.Range(0, writers).Select(w => new Thread(() =>
        {
            for (int i = w * perWriter; i < (w + 1) * perWriter; i++)
            {
                index.Upsert(TestData.Key(i), rows[i]);
            }
        })).ToList();
        writerThreads.ForEach(t => t.Start());
        writerThreads.ForEach(t => t.Join());
        stop.Cancel();
        readers.ForEach(t => t.Join());

        Assert.Null(failure);
        Assert.True(searches > 0);
        Assert.Equal(rows.Length, index.Count);
        int found = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            var hits = index.Search(rows[i], 3, ef: 64);
            if (hits.Any(h => h.Key == TestData.Key(i)))
            {
                found++;
            }
        }

        Assert.Equal(rows.Length, found);
    }

    [Fact]
    public void Search_duringCompaction_keepsAnsweringFromTheOldGraph()
    {
        var rows = TestData.Clustered(3000, 16, 20, seed: 12);
        var index = TestData.Build(DistanceMetric.Cosine, rows, efConstruction: 64);
        for (int i = 0; i < 1000; i++)
        {
            index.Delete(TestData.Key(i));
        }

        var compaction = new Thread(index.Compact);
        compaction.Start();
        int answered = 0;
        while (compaction.IsAlive || answered == 0)
        {
            var hits = index.Search(rows[2000 + (answered % 1000)], 5);
            Assert.Equal(5, hits.Length);
            Assert.All(hits, h => Assert.True(string.CompareOrdinal(h.Key, TestData.Key(1000)) >= 0));
            answered++;
        }

        compaction.Join();
        Assert.Equal(0, index.TombstoneCount);
        Assert.Equal(2000, index.Count);
    }
}
