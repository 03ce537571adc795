using Theodore.Adapters.Mock;
using Theodore.Core.Domain;
using Theodore.Core.Ports;
using Xunit.Abstractions;

namespace Theodore.Adapters.Native.Tests;

public sealed class RecallTests(ITestOutputHelper output)
{
    private const int Count = 4000;
    private const int Dimension = 48;
    private const int Queries = 100;
    private const int K = 10;

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.DotProduct)]
    [InlineData(DistanceMetric.Manhattan)]
    public async Task SearchAsync_default_ef_on_clustered_data_recalls_at_least_95_percent_of_the_exact_top10(DistanceMetric metric)
    {
        var random = new Random(7 + (int)metric);
        var points = TestVectors.Clustered(random, Count + Queries, Dimension, clusters: 40, spread: 0.35);
        var records = points.Take(Count).Select((p, i) => new VectorRecord(VectorId.Parse($"p{i:D5}"), p)).ToArray();
        // Every record linked before its write returns, so the graph's recall is measured, not the exact scan of a backlog.
        var native = new NativeVectorStorage(new NativeOptions { Durability = Engine.Durability.DurabilityMode.None, MaxUnindexedVectors = 0 });
        var mock = new MockVectorStorage();
        var index = IndexName.Parse("recall");
        foreach (IVectorStorage storage in new IVectorStorage[] { native, mock })
        {
            await storage.CreateIndexAsync(new IndexDefinition(index, Dimension, metric));
            var result = await storage.GetRequiredService<IBatchVectorStorage>().UpsertManyAsync(index, records);
            Assert.True(result.IsComplete);
        }

        var found = 0;
        foreach (var query in points.Skip(Count))
        {
            var approximate = await native.SearchAsync(index, query, new SearchOptions { TopK = K, IncludeMetadata = false });
            var exact = await mock.SearchAsync(index, query, new SearchOptions { TopK = K, IncludeMetadata = false });
            Assert.True(approximate.Approximate);
            found += approximate.Matches.Select(m => m.Id).Intersect(exact.Matches.Select(m => m.Id)).Count();
        }

        var recall = (double)found / (Queries * K);
        output.WriteLine($"recall@{K} for {metric}: {recall:P1}");
        Assert.True(recall >= 0.95, $"recall@{K} for {metric} was {recall:P1}");
    }
}
