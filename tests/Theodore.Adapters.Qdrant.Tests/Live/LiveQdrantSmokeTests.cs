using Theodore.Core.Domain;

namespace Theodore.Adapters.Qdrant.Tests.Live;

public sealed class LiveQdrantSmokeTests
{
    [LiveQdrantFact]
    public async Task Real_qdrant_round_trips_a_record_and_finds_it()
    {
        await using var storage = LiveQdrant.Storage();
        var name = IndexName.Parse("live-" + Guid.NewGuid().ToString("N")[..12]);
        await storage.CreateIndexAsync(new IndexDefinition(name, 2, DistanceMetric.Euclidean, new EmbeddingContract("m", "1", normalize: false)));
        try
        {
            await storage.UpsertAsync(name, new VectorRecord(VectorId.Parse("a"), new float[] { 3, 4 }));

            var result = await storage.SearchAsync(name, new float[] { 0, 0 }, new SearchOptions());

            Assert.Equal("a", Assert.Single(result.Matches).Id.Value);
            Assert.Equal(1.0 / 6, result.Matches[0].Score, 4);
            Assert.Equal("m", (await storage.DescribeIndexAsync(name)).Definition.Embedding?.Model);
            Assert.Equal(Core.Domain.HealthStatus.Healthy, (await storage.CheckHealthAsync()).Status);
        }
        finally
        {
            await storage.DeleteIndexAsync(name);
        }
    }
}
