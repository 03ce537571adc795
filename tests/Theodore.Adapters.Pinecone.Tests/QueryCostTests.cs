using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Pinecone.Tests;

/// <summary>A query is one network call once the index is known; the first call of a process also describes it.</summary>
public sealed class QueryCostTests
{
    [Fact]
    public async Task SearchAsync_and_SearchByIdAsync_are_one_request_each_once_the_index_is_known()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        await scope.Storage.UpsertManyAsync(index, [new(VectorId.Parse("a"), new float[] { 1, 0 }), new(VectorId.Parse("b"), new float[] { 0, 1 }), new(VectorId.Parse("c"), new float[] { 1, 1 })]);

        var mark = scope.Fake.Requests.Count;
        await scope.Storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { TopK = 2 });
        var search = scope.RequestsSince(mark);
        mark = scope.Fake.Requests.Count;
        var byId = await scope.Storage.SearchByIdAsync(index, VectorId.Parse("a"), new SearchOptions { TopK = 2 });
        var searchById = scope.RequestsSince(mark);

        var only = Assert.Single(search);
        Assert.Equal(("data", "POST", "/query"), (only.Plane, only.Method, only.Path));
        var onlyById = Assert.Single(searchById);
        Assert.Equal(("data", "POST", "/query"), (onlyById.Plane, onlyById.Method, onlyById.Path));
        Assert.Equal(["c", "b"], byId.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
    }

    [Fact]
    public async Task First_search_of_a_process_describes_the_index_once_then_queries()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        await scope.Storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }));
        var second = scope.NewAdapter();

        var mark = scope.Fake.Requests.Count;
        await second.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions());
        var first = scope.RequestsSince(mark);
        mark = scope.Fake.Requests.Count;
        await second.SearchByIdAsync(index, VectorId.Parse("a"), new SearchOptions());
        var then = scope.RequestsSince(mark);

        Assert.Equal([("control", $"/indexes/{index.Value}"), ("data", "/query")], first.Select(r => (r.Plane, r.Path)));
        Assert.Equal([("data", "/query")], then.Select(r => (r.Plane, r.Path)));
    }

    [Fact]
    public async Task SearchByIdAsync_asks_for_one_more_match_and_drops_the_record_itself()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(1);
        await scope.Storage.UpsertManyAsync(index, [.. Enumerable.Range(1, 5).Select(i => new VectorRecord(VectorId.Parse($"r{i}"), new float[] { i }))]);

        var result = await scope.Storage.SearchByIdAsync(index, VectorId.Parse("r1"), new SearchOptions { TopK = 2 });

        Assert.Equal(["r2", "r3"], result.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
        Assert.Contains("\"topK\":3", LastQueryBody(scope), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchByIdAsync_missing_id_under_a_filter_fetches_once_to_tell_missing_from_no_neighbours()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(1);
        await scope.Storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1 }));
        var filter = Core.Domain.Filtering.Filter.Eq("kind", "none");

        var mark = scope.Fake.Requests.Count;
        var empty = await scope.Storage.SearchByIdAsync(index, VectorId.Parse("a"), new SearchOptions { Filter = filter });
        var existing = scope.RequestsSince(mark);
        await Assert.ThrowsAsync<Core.Errors.RecordNotFoundException>(async () => await scope.Storage.SearchByIdAsync(index, VectorId.Parse("zzz"), new SearchOptions { Filter = filter }));

        Assert.Empty(empty.Matches);
        Assert.Equal(["/query", "/vectors/fetch"], existing.Select(r => r.Path), StringComparer.Ordinal);
    }

    private static string LastQueryBody(FakeScope scope) => scope.Fake.LastBody("/query") ?? string.Empty;
}
