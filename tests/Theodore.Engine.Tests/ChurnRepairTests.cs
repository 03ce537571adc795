namespace Theodore.Engine.Tests;

// Churn with many identical vectors splits layer 0 into components that the upper layers still connect: a walk
// from the entry lands inside the unreached component, so the repair must find its anchors another way.
public sealed class ChurnRepairTests
{
    [Fact]
    public void RepairGraph_afterHeavyChurnWithDuplicateVectors_leavesNothingUnreachable()
    {
        var rows = TestData.Clustered(500, 12, 5, seed: 21);
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 12, Metric = DistanceMetric.Euclidean, EfConstruction = 32, CompactionMinimumTombstones = 64 });
        var random = new Random(3);
        for (int i = 0; i < 500; i++)
        {
            index.Upsert(TestData.Key(i), rows[i]);
        }

        for (int step = 0; step < 20_000; step++)
        {
            int key = random.Next(500);
            if (key >= 100 && random.Next(2) == 0)
            {
                index.Delete(TestData.Key(key));
            }
            else
            {
                index.Upsert(TestData.Key(key), rows[random.Next(500)]);
            }
        }

        index.RepairGraph();

        // Checked without CheckIntegrity's own repair run: the repairs made during the churn must have held.
        var report = Graph.GraphIntegrity.Check(index.CurrentState);
        Assert.True(report.IsHealthy, string.Join("; ", report.Problems));
    }
}
