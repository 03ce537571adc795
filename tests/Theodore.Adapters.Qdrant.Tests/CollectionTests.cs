using Theodore.Core.Domain;
using Theodore.Qdrant.Fake;

namespace Theodore.Adapters.Qdrant.Tests;

/// <summary>What a collection looks like in Qdrant: settings from options, the definition in its metadata, the tenant index.</summary>
public sealed class CollectionTests : IAsyncLifetime
{
    private QdrantFake _fake = null!;

    public async Task InitializeAsync() => _fake = await QdrantFake.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task CreateIndexAsync_sends_shards_replication_write_consistency_and_hnsw_and_a_tenant_index()
    {
        await using var storage = SharedQdrantFake.Storage(_fake, o =>
        {
            o.ShardNumber = 3;
            o.ReplicationFactor = 2;
            o.WriteConsistencyFactor = 2;
        });

        await storage.CreateIndexAsync(new IndexDefinition(IndexName.Parse("dist"), 8, DistanceMetric.Manhattan, hnsw: new HnswOptions(24, 300)));

        Assert.Equal((3u, 2u, 2u, 24ul, 300ul), _fake.CollectionSettings("dist"));
        Assert.Equal("keyword,tenant", _fake.PayloadIndexes("dist")[QdrantPayload.NamespaceKey]);
        Assert.Single(_fake.PayloadIndexes("dist"));
    }

    [Fact]
    public async Task DescribeIndexAsync_in_another_process_reconstructs_the_whole_definition_from_the_collection_metadata()
    {
        var definition = new IndexDefinition(IndexName.Parse("round-trip"), 5, DistanceMetric.DotProduct, new EmbeddingContract("text-embed", "2026-01", normalize: true), new HnswOptions(32, 128));
        await using (var creator = SharedQdrantFake.Storage(_fake))
        {
            await creator.CreateIndexAsync(definition);
        }

        await using var other = SharedQdrantFake.Storage(_fake);
        var described = await other.DescribeIndexAsync(definition.Name);
        var listed = Assert.Single(await other.ListIndexesAsync());

        Assert.Equal(definition, described.Definition);
        Assert.Equal(definition, listed.Definition);
        Assert.NotNull(described.CreatedAt);
    }

    [Fact]
    public async Task Records_keep_their_ids_namespaces_and_metadata_in_a_payload_that_user_keys_cannot_collide_with()
    {
        await using var storage = SharedQdrantFake.Storage(_fake);
        var index = IndexName.Parse("payload");
        await storage.CreateIndexAsync(new IndexDefinition(index, 2, DistanceMetric.Euclidean));
        var hostile = Metadata.Create([new("theodore_id", "not-me"), new("theodore_ns", "elsewhere"), new("metadata", 1), new("a.b[0]", "dotted"), new("tags", Array.Empty<string>())]);

        await storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("real"), new float[] { 1, 2 }, hostile), Namespace.Parse("tenant"));

        var record = await storage.GetAsync(index, VectorId.Parse("real"), Namespace.Parse("tenant"));
        Assert.Equal("real", record!.Id.Value);
        Assert.Equal(hostile, record.Metadata);
        var payload = Assert.Single(_fake.Payloads("payload"));
        Assert.Equal(QdrantPointIds.ToUuid(Namespace.Parse("tenant"), VectorId.Parse("real")).ToString("D"), payload.Key);
        Assert.Contains("\"theodore_ns\":\"tenant\"", payload.Value, StringComparison.Ordinal);
        var found = await storage.SearchAsync(index, new float[] { 1, 2 }, new SearchOptions { Namespace = Namespace.Parse("tenant"), Filter = Core.Domain.Filtering.Filter.And(Core.Domain.Filtering.Filter.Eq("a.b[0]", "dotted"), Core.Domain.Filtering.Filter.Exists("tags")) });
        Assert.Equal("real", Assert.Single(found.Matches).Id.Value);
    }
}
