using Theodore.Adapters.Mock;
using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;

namespace Theodore.Adapters.Pinecone.Tests;

/// <summary>
/// Pinecone on the fake answers as the exact Mock does: same top-10 ids in the same order, scores within 1e-4, for
/// 500 records and 30 queries with and without filters, on every metric Pinecone has.
/// </summary>
public sealed class FidelityTests
{
    private const int Dimension = 16;

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.DotProduct)]
    public async Task Top_10_ids_order_and_scores_match_the_exact_mock(DistanceMetric metric)
    {
        await using var scope = await FakeScope.StartAsync();
        var mock = new MockVectorStorage();
        var name = await scope.CreateIndexAsync(Dimension, metric);
        await mock.CreateIndexAsync(new IndexDefinition(name, Dimension, metric));
        var random = new Random(500 + (int)metric);
        string[] industries = ["fintech", "health", "retail", "energy"];
        var records = Enumerable.Range(0, 500).Select(i => new VectorRecord(
            VectorId.Parse($"c-{i:D3}"),
            Vector(random),
            Metadata.Create([new("industry", industries[i % industries.Length]), new("founded", 1990 + (i % 35)), new("public", i % 3 == 0)]))).ToArray();
        await scope.Storage.UpsertManyAsync(name, records);
        await mock.UpsertManyAsync(name, records);
        FilterExpression?[] filters =
        [
            null,
            Filter.Eq("industry", "fintech"),
            Filter.And(Filter.Gte("founded", 2005), Filter.Ne("public", true)),
            Filter.Or(Filter.In("industry", "health", "energy"), Filter.Lt("founded", 1995)),
            Filter.Not(Filter.Eq("industry", "retail")),
        ];

        for (var q = 0; q < 30; q++)
        {
            var options = new SearchOptions { TopK = 10, Filter = filters[q % filters.Length] };
            var query = Vector(random);

            var expected = await mock.SearchAsync(name, query, options);
            var actual = await scope.Storage.SearchAsync(name, query, options);

            Assert.Equal(expected.Matches.Select(m => m.Id.Value), actual.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
            for (var i = 0; i < expected.Matches.Count; i++)
            {
                Assert.True(Math.Abs(expected.Matches[i].Score - actual.Matches[i].Score) <= 1e-4, $"query {q}, match {i}: {expected.Matches[i].Score} vs {actual.Matches[i].Score}");
            }
        }
    }

    private static float[] Vector(Random random)
    {
        var values = new float[Dimension];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
