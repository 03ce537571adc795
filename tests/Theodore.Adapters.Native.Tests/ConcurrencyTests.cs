using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Adapters.Native.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task UpsertAsync_concurrent_with_searches_finds_every_inserted_id_afterwards()
    {
        const int writers = 4;
        const int perWriter = 300;
        const int dimension = 8;
        var storage = new NativeVectorStorage();
        var index = IndexName.Parse("stress");
        await storage.CreateIndexAsync(new IndexDefinition(index, dimension, DistanceMetric.Cosine));
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var random = new Random(3);
        for (var w = 0; w < writers; w++)
        {
            for (var i = 0; i < perWriter; i++)
            {
                vectors[$"w{w}-{i}"] = TestVectors.Random(random, dimension);
            }
        }

        using var stop = new CancellationTokenSource();
        var searches = 0;
        var searchers = Enumerable.Range(0, 2).Select(s => Task.Run(async () =>
        {
            var local = new Random(100 + s);
            while (!stop.IsCancellationRequested)
            {
                var result = await storage.SearchAsync(index, TestVectors.Random(local, dimension), new SearchOptions { TopK = 5 });
                Assert.True(result.Matches.Count <= 5);
                Interlocked.Increment(ref searches);
            }
        })).ToArray();
        var inserters = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < perWriter; i++)
            {
                var id = $"w{w}-{i}";
                await storage.UpsertAsync(index, new VectorRecord(VectorId.Parse(id), vectors[id]));
            }
        })).ToArray();

        await Task.WhenAll(inserters);
        await stop.CancelAsync();
        await Task.WhenAll(searchers);

        Assert.True(searches > 0);
        Assert.Equal(writers * perWriter, (await storage.DescribeIndexAsync(index)).VectorCount);
        foreach (var (id, vector) in vectors)
        {
            Assert.NotNull(await storage.GetAsync(index, VectorId.Parse(id)));
            var nearest = await storage.SearchAsync(index, vector, new SearchOptions { TopK = 1, Exact = true });
            Assert.Equal(id, Assert.Single(nearest.Matches).Id.Value);
        }
    }

    [Fact]
    public async Task DeleteIndexAsync_while_searching_gives_results_or_index_not_found_never_another_error()
    {
        const int dimension = 4;
        var storage = new NativeVectorStorage();
        var index = IndexName.Parse("doomed");
        await storage.CreateIndexAsync(new IndexDefinition(index, dimension, DistanceMetric.Euclidean));
        var random = new Random(5);
        for (var i = 0; i < 200; i++)
        {
            await storage.UpsertAsync(index, new VectorRecord(VectorId.Parse($"r{i}"), TestVectors.Random(random, dimension)));
        }

        // Each searcher runs until it sees the index gone; any other exception fails the test through Task.WhenAll.
        var succeeded = 0;
        var searchers = Enumerable.Range(0, 3).Select(s => Task.Run(async () =>
        {
            var local = new Random(s);
            // each searcher stops when it sees the deletion; the deadline is a hang guard, generous for a busy runner
            var deadline = DateTime.UtcNow.AddSeconds(120);
            while (DateTime.UtcNow < deadline)
            {
                try
                {
                    var result = await storage.SearchAsync(index, TestVectors.Random(local, dimension), new SearchOptions { TopK = 3 });
                    Assert.Equal(3, result.Matches.Count);
                    Interlocked.Increment(ref succeeded);
                }
                catch (IndexNotFoundException)
                {
                    return true;
                }
            }

            return false;
        })).ToArray();

        while (Volatile.Read(ref succeeded) < 100)
        {
            await Task.Delay(1);
        }

        await storage.DeleteIndexAsync(index);
        var sawDeletion = await Task.WhenAll(searchers);

        Assert.All(sawDeletion, Assert.True);
        await Assert.ThrowsAsync<IndexNotFoundException>(async () => await storage.GetAsync(index, VectorId.Parse("r1")));
    }
}
