using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Pinecone.Tests.Live;

/// <summary>One round trip on the real Pinecone: create, write, read, search, delete. Skipped without an API key.</summary>
public sealed class LiveSmokeTests
{
    [LiveFact]
    public async Task Create_upsert_get_search_and_delete_on_the_real_service()
    {
        await using var host = LiveEnvironment.CreateHost();
        var storage = host.Storage;
        var index = IndexName.Parse("theodore-live-" + Guid.NewGuid().ToString("N")[..12]);
        await storage.CreateIndexAsync(new IndexDefinition(index, 3, DistanceMetric.Euclidean, new EmbeddingContract("live-model/with slash", "v1", normalize: false)));
        try
        {
            await storage.UpsertManyAsync(index, [new(VectorId.Parse("a"), new float[] { 0, 0, 1 }), new(VectorId.Parse("b"), new float[] { 3, 4, 1 })]);
            await Task.Delay(LiveEnvironment.Settle);

            var record = await storage.GetAsync(index, VectorId.Parse("b"));
            var result = await storage.SearchAsync(index, new float[] { 0, 0, 1 }, new SearchOptions { TopK = 2 });
            var byId = await storage.SearchByIdAsync(index, VectorId.Parse("a"), new SearchOptions { TopK = 1 });
            var described = await storage.DescribeIndexAsync(index);

            Assert.NotNull(record);
            Assert.Equal(["a", "b"], result.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
            Assert.Equal(1 / 6.0, result.Matches[1].Score, 3);
            Assert.Equal(["b"], byId.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
            Assert.Equal("live-model/with slash", described.Definition.Embedding?.Model);
        }
        finally
        {
            await storage.DeleteIndexAsync(index);
        }
    }
}
