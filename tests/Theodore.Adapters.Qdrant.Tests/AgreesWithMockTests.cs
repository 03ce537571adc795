using Theodore.Adapters.Mock;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Ports;
using Theodore.Qdrant.Fake;

namespace Theodore.Adapters.Qdrant.Tests;

/// <summary>Qdrant (on the fake) and the exact Mock give the same top-10 ids in the same order and scores within 1e-4.</summary>
public sealed class AgreesWithMockTests : IAsyncLifetime
{
    private QdrantFake _fake = null!;

    public async Task InitializeAsync() => _fake = await QdrantFake.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.DotProduct)]
    [InlineData(DistanceMetric.Manhattan)]
    public async Task Top_10_with_and_without_filters_and_thresholds_match_the_mock(DistanceMetric metric)
    {
        const int Dimension = 16;
        var random = new Random(11);
        var index = IndexName.Parse("agree-" + metric.ToString().ToLowerInvariant());
        var records = Enumerable.Range(0, 500).Select(i => new VectorRecord(
            VectorId.Parse($"v{i:D3}"),
            Enumerable.Range(0, Dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray(),
            Metadata.Create([new("bucket", i % 7), new("kind", i % 3 == 0 ? "a" : "b"), new("tags", new[] { $"t{i % 5}", "all" })]))).ToArray();
        var mock = new MockVectorStorage();
        await using var qdrant = SharedQdrantFake.Storage(_fake);
        foreach (IVectorStorage storage in new IVectorStorage[] { mock, qdrant })
        {
            await storage.CreateIndexAsync(new IndexDefinition(index, Dimension, metric));
            await storage.GetRequiredService<IBatchVectorStorage>().UpsertManyAsync(index, records, options: BatchOptions.AllOrNothing);
        }

        FilterExpression?[] filters =
        [
            null,
            Filter.Eq("kind", "a"),
            Filter.And(Filter.Gte("bucket", 2), Filter.Not(Filter.In("tags", "t1", "t2"))),
            Filter.Or(Filter.Lt("bucket", 1), Filter.StartsWith("tags", "t4"), Filter.Exists("missing", false)),
        ];
        for (var q = 0; q < 32; q++)
        {
            var query = Enumerable.Range(0, Dimension).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
            var options = new SearchOptions { TopK = 10, Filter = filters[q % filters.Length], Exact = true };
            if (q % 8 == 7)
            {
                var probe = await mock.SearchAsync(index, query, options);
                // between two scores: a threshold exactly at a score is decided by its last bit, and Qdrant scores in f32
                options = options with { ScoreThreshold = (probe.Matches[4].Score + probe.Matches[5].Score) / 2 };
            }

            var expected = await mock.SearchAsync(index, query, options);
            var actual = await qdrant.SearchAsync(index, query, options);

            Assert.Equal(expected.Matches.Select(m => m.Id.Value), actual.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
            for (var i = 0; i < expected.Matches.Count; i++)
            {
                Assert.True(Math.Abs(expected.Matches[i].Score - actual.Matches[i].Score) <= 1e-4, $"query {q}, rank {i}: {expected.Matches[i].Score} vs {actual.Matches[i].Score}");
            }
        }
    }
}
