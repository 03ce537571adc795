using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Pinecone.Fake;

namespace Theodore.Adapters.Pinecone.Tests;

/// <summary>
/// Listing indexes describes each listed index's stats afterwards; an index deleted in between (by another client or a
/// test running beside this one) must drop out of the list rather than fail it, as on Qdrant.
/// </summary>
public sealed class ListIndexesRaceTests
{
    [Fact]
    public async Task An_index_deleted_between_the_list_and_its_stats_is_left_out()
    {
        await using var scope = await FakeScope.StartAsync();
        var first = await scope.CreateIndexAsync(2);
        var second = await scope.CreateIndexAsync(2);

        // The next stats call answers 404, as Pinecone does for an index deleted after the list was taken.
        scope.Fake.InjectFault(new FakeFault(404, Plane: "data", PathContains: "describe_index_stats"));
        var listed = await scope.Storage.ListIndexesAsync();

        // The stats are described in parallel, so either index may be the one that vanished.
        var survivor = Assert.Single(listed).Name;
        Assert.True(survivor == first || survivor == second, $"listed {survivor}");
        Assert.Equal(1, scope.Fake.Requests.Count(r => r.Path.Contains("describe_index_stats", StringComparison.Ordinal) && r.Status == 404));
    }
}
