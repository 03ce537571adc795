namespace Theodore.Engine.Tests;

public sealed class RepairTests
{
    // Raw dot product makes large-norm nodes everybody's nearest neighbour; their lists fill up and starve
    // other nodes of in-links. The repair must reconnect them all without undoing its own earlier links.
    [Theory]
    [InlineData(8)]
    [InlineData(16)]
    public void RepairGraph_unnormalized_dot_product_leaves_no_live_record_unreachable(int m)
    {
        var rows = TestData.Clustered(1500, 16, 10, seed: 7);
        var index = TestData.Build(DistanceMetric.DotProduct, rows, m: m);

        index.RepairGraph();
        var report = index.CheckIntegrity();

        Assert.Equal(0, report.UnreachableCount);
        Assert.True(report.IsHealthy, string.Join("; ", report.Problems));
    }

    [Fact]
    public void RepairGraph_after_repair_every_record_is_found_by_an_exhaustive_walk()
    {
        var rows = TestData.Clustered(1500, 16, 10, seed: 11);
        var index = TestData.Build(DistanceMetric.DotProduct, rows, m: 8);
        index.RepairGraph();

        var missing = 0;
        for (var i = 0; i < rows.Length; i += 15)
        {
            var hits = index.Search(rows[i], 1500, ef: 1500);
            missing += hits.Any(h => h.Key == TestData.Key(i)) ? 0 : 1;
        }

        Assert.Equal(0, missing);
    }
}
