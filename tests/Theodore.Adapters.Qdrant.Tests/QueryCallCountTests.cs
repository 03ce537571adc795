using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Qdrant.Fake;

namespace Theodore.Adapters.Qdrant.Tests;

/// <summary>A query is one network call once the adapter knows the index; the first call in a process costs one describe more.</summary>
public sealed class QueryCallCountTests : IAsyncLifetime
{
    private QdrantFake _fake = null!;

    public async Task InitializeAsync() => _fake = await QdrantFake.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task SearchAsync_and_SearchByIdAsync_on_a_known_index_are_exactly_one_Query_each()
    {
        await using var storage = SharedQdrantFake.Storage(_fake);
        var index = await CreateWithRecordsAsync(storage);
        _fake.ClearRequests();

        await storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { Filter = Filter.Eq("k", "v"), ScoreThreshold = 0.1f, IncludeValues = true });
        var afterSearch = _fake.Requests;
        await storage.SearchByIdAsync(index, VectorId.Parse("a"), new SearchOptions { Filter = Filter.Ne("k", "x") });
        var all = _fake.Requests;

        Assert.Equal(["Points/Query"], afterSearch.Select(r => r.Rpc), StringComparer.Ordinal);
        Assert.Equal(["Points/Query", "Points/Query"], all.Select(r => r.Rpc), StringComparer.Ordinal);
    }

    [Fact]
    public async Task First_search_of_an_index_another_process_created_costs_one_describe_then_one_call_per_search()
    {
        await using (var creator = SharedQdrantFake.Storage(_fake))
        {
            await CreateWithRecordsAsync(creator);
        }

        await using var fresh = SharedQdrantFake.Storage(_fake);
        var index = IndexName.Parse(_fake.CollectionNames.Single());
        _fake.ClearRequests();

        await fresh.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions());
        var first = _fake.Requests.Select(r => r.Rpc).ToArray();
        _fake.ClearRequests();
        await fresh.SearchByIdAsync(index, VectorId.Parse("a"), new SearchOptions());
        await fresh.SearchAsync(index, new float[] { 0, 1 }, new SearchOptions());
        var later = _fake.Requests.Select(r => r.Rpc).ToArray();

        Assert.Equal(["Collections/Get", "Points/Query"], first);
        Assert.Equal(["Points/Query", "Points/Query"], later);
    }

    [Fact]
    public async Task Index_recreated_with_another_dimension_elsewhere_is_described_again_instead_of_refusing()
    {
        await using var mine = SharedQdrantFake.Storage(_fake);
        await using var other = SharedQdrantFake.Storage(_fake);
        var index = await CreateWithRecordsAsync(mine);
        await other.DeleteIndexAsync(index);
        await other.CreateIndexAsync(new IndexDefinition(index, 3, DistanceMetric.Euclidean));
        await other.UpsertAsync(index, new VectorRecord(VectorId.Parse("z"), new float[] { 0, 0, 1 }));

        var result = await mine.SearchAsync(index, new float[] { 0, 0, 1 }, new SearchOptions());

        Assert.Equal("z", Assert.Single(result.Matches).Id.Value);
    }

    [Fact]
    public async Task Upsert_to_an_index_deleted_elsewhere_throws_IndexNotFound_and_forgets_the_definition()
    {
        await using var mine = SharedQdrantFake.Storage(_fake);
        await using var other = SharedQdrantFake.Storage(_fake);
        var index = await CreateWithRecordsAsync(mine);
        await other.DeleteIndexAsync(index);

        await Assert.ThrowsAsync<Core.Errors.IndexNotFoundException>(async () => await mine.UpsertAsync(index, new VectorRecord(VectorId.Parse("b"), new float[] { 1, 0 })));
        _fake.ClearRequests();
        await Assert.ThrowsAsync<Core.Errors.IndexNotFoundException>(async () => await mine.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions()));

        Assert.Equal(["Collections/Get"], _fake.Requests.Select(r => r.Rpc), StringComparer.Ordinal);
    }

    private static async Task<IndexName> CreateWithRecordsAsync(QdrantVectorStorage storage)
    {
        var index = IndexName.Parse("q-" + Guid.NewGuid().ToString("N")[..12]);
        await storage.CreateIndexAsync(new IndexDefinition(index, 2, DistanceMetric.Cosine));
        await storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }, Metadata.Create([new("k", "v")])));
        await storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("b"), new float[] { 1, 1 }, Metadata.Create([new("k", "v")])));
        return index;
    }
}
