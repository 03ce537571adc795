using Theodore.Core.Domain;

namespace Theodore.Core.Tests.Domain;

public sealed class ResultTypesTests
{
    [Fact]
    public void Order_sorts_by_score_descending_then_id_ordinal()
    {
        var matches = new List<SearchMatch>
        {
            Match("b", 0.5f),
            Match("a", 0.9f),
            Match("c", 0.5f),
            Match("B", 0.5f),
            Match("z", 1f),
        };

        matches.Sort(SearchResult.Order);

        Assert.Equal(["z", "a", "B", "b", "c"], matches.Select(m => m.Id.Value), StringComparer.Ordinal);
    }

    [Fact]
    public void AllSucceeded_is_complete_without_errors()
    {
        var result = BatchResult.AllSucceeded(7);

        Assert.Equal(7, result.Requested);
        Assert.Equal(7, result.Succeeded);
        Assert.True(result.IsComplete);
        Assert.False(new BatchResult(2, 1, [new BatchItemError(1, "x", "invalid_request", "bad")]).IsComplete);
    }

    [Fact]
    public void HitRatio_is_hits_over_lookups_and_zero_without_lookups()
    {
        Assert.Equal(0.75, new CacheStatistics(3, 1, 10, 0).HitRatio);
        Assert.Equal(0, new CacheStatistics(0, 0, 0, 0).HitRatio);
    }

    [Fact]
    public void VectorRecord_without_metadata_has_empty_metadata()
    {
        var record = new VectorRecord(VectorId.Parse("a"), new float[] { 1f });

        Assert.Same(Metadata.Empty, record.Metadata);
    }

    private static SearchMatch Match(string id, float score) => new(VectorId.Parse(id), score, null);
}
