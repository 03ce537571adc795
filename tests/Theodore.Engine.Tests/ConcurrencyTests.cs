namespace Theodore.Engine.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public void UpsertAndSearch_concurrently_losesNothingAndKeepsEveryRecordReachable()
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

        // nothing lost or crossed: every key holds its own vector, and the graph reaches every record
        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i], index.Get(TestData.Key(i))!.Vector.ToArray());
        }

        var integrity = index.CheckIntegrity();
        Assert.Empty(integrity.Problems);
        Assert.Equal(0, integrity.UnreachableCount);

        // HNSW promises no node at a given beam: under load, 2 of 500 concurrent builds left one of the 4,500 nodes
        // (reachable, found at ef 500) behind a local minimum at ef 64, as a sequential build can. The walk is held to
        // recall, not to every node.
        int found = 0;
        for (int i = 0; i < rows.Length; i++)
        {
            var hits = index.Search(rows[i], 3, ef: 64);
            if (hits.Any(h => h.Key == TestData.Key(i)))
            {
                found++;
            }
        }

        Assert.True(found >= rows.Length - 9, $"{found} of {rows.Length} keys found by their own vector at ef 64");
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

    [Fact]
    public void WritesDeletesAndCompaction_concurrentWithSearches_endInTheWritersState()
    {
        var index = new VectorIndex(new VectorIndexOptions
        {
            Dimension = 8,
            Metric = DistanceMetric.Cosine,
            EfConstruction = 32,
            CompactionThreshold = 0.2,
            CompactionMinimumTombstones = 50,
        });
        var models = new Dictionary<string, float[]>[2];
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        var searchers = Enumerable.Range(0, 2).Select(s => new Thread(() =>
        {
            try
            {
                var random = new Random(100 + s);
                while (!stop.IsCancellationRequested)
                {
                    var hits = index.Search(TestData.Gaussian(random, 8, 1), 10, ef: 32);
                    if (hits.Select(h => h.Key).Distinct(StringComparer.Ordinal).Count() != hits.Length)
                    {
                        throw new InvalidOperationException("duplicate key in results");
                    }
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        })).ToList();
        searchers.ForEach(t => t.Start());

        var writers = Enumerable.Range(0, 2).Select(w => new Thread(() =>
        {
            var model = models[w] = new Dictionary<string, float[]>(StringComparer.Ordinal);
            var random = new Random(w);
            for (int step = 0; step < 3000; step++)
            {
                string key = $"w{w}-{random.Next(400)}";
                if (random.Next(3) == 0)
                {
                    index.Delete(key);
                    model.Remove(key);
                }
                else
                {
                    var row = TestData.Gaussian(random, 8, 1);
                    index.Upsert(key, row);
                    model[key] = row;
                }
            }
        })).ToList();
        writers.ForEach(t => t.Start());
        writers.ForEach(t => t.Join());
        stop.Cancel();
        searchers.ForEach(t => t.Join());

        Assert.Null(failure);
        var all = models[0].Concat(models[1]).ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        Assert.Equal(all.Count, index.Count);
        Assert.Equal(all.Keys.Order(StringComparer.Ordinal), index.ListKeys(null, 10_000), StringComparer.Ordinal);
        var probe = new Random(7);
        for (int q = 0; q < 20; q++)
        {
            var query = TestData.Gaussian(probe, 8, 1);
            var expected = TestData.BruteForce(DistanceMetric.Cosine, all, query, 10).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);
            var hits = index.Search(query, 10, exact: true);
            Assert.True(hits.Count(h => expected.Contains(h.Key)) >= 9, "exact search disagrees with the model");
        }
    }
}
