using Theodore.Engine.Graph;

namespace Theodore.Engine.Tests;

public sealed unsafe class IntegrityTests
{
    // DotProduct is checked on unit vectors: on raw ones hubs starve other nodes of in-links (see README).
    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.DotProduct)]
    [InlineData(DistanceMetric.Manhattan)]
    public void CheckIntegrity_healthyIndexWithTombstones_reportsNoProblems(DistanceMetric metric)
    {
        var rows = TestData.Clustered(1500, 16, 10, seed: 7);
        if (metric == DistanceMetric.DotProduct)
        {
            rows = [.. rows.Select(Normalize)];
        }

        var index = Snapshots.GraphSnapshotTests.BuildWithHistory(metric, rows);

        var report = index.CheckIntegrity();

        Assert.True(report.IsHealthy, string.Join("; ", report.Problems));
        Assert.Equal(index.Count, report.LiveRecords);
        Assert.Equal(index.Count + index.TombstoneCount, report.Slots);
        Assert.Equal(0, report.UnreachableCount);
    }

    [Fact]
    public void CheckIntegrity_emptyIndex_reportsNoProblems()
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 4, Metric = DistanceMetric.Cosine });

        Assert.True(index.CheckIntegrity().IsHealthy);
    }

    [Fact]
    public void CheckIntegrity_selfLink_isReported()
    {
        var (index, st) = Build();
        int slot = SlotWithLinks(st);
        st.Links(slot, 0)[1] = slot;

        AssertDetected(index, "self-link");
    }

    [Fact]
    public void CheckIntegrity_neighbourOutOfRange_isReported()
    {
        var (index, st) = Build();
        st.Links(SlotWithLinks(st), 0)[1] = st.Count + 3;

        AssertDetected(index, "link-range");
    }

    [Fact]
    public void CheckIntegrity_duplicateLinkAndOverfullList_areReported()
    {
        var (index, st) = Build();
        int* block = st.Links(SlotWithLinks(st, minimum: 2), 0);
        block[2] = block[1];
        st.Links(SlotWithLinks(st), 0)[0] = st.MaxM0 + 1;

        AssertDetected(index, "duplicate-link");
        AssertDetected(index, "degree");
    }

    [Fact]
    public void CheckIntegrity_wrongTombstoneCount_isReported()
    {
        var (index, st) = Build();
        st.SkewTombstonesForTesting(1);

        AssertDetected(index, "counts");
    }

    [Fact]
    public void CheckIntegrity_keyMapPointingAtAnotherRecord_isReported()
    {
        var (index, st) = Build();
        Assert.True(st.TryGetSlot(TestData.Key(2), out int other));
        st.ForceMapEntryForTesting(TestData.Key(1), other);

        var problem = AssertDetected(index, "key-map");
        Assert.Contains(problem.Examples, e => e.Contains(TestData.Key(1), StringComparison.Ordinal));
    }

    [Fact]
    public void CheckIntegrity_metadataChangedBehindThePostings_isReported()
    {
        var (index, st) = Build();
        Assert.True(st.TryGetSlot(TestData.Key(4), out int slot));
        var metadata = (Dictionary<string, EngineValue>)st.MetadataOf(slot);
        metadata["group"] = "elsewhere";

        AssertDetected(index, "metadata-postings");
    }

    [Fact]
    public void CheckIntegrity_nodeWithoutInLinks_isCountedUnreachable()
    {
        var (index, st) = Build();
        int entry = (int)st.Entry;
        int target = Enumerable.Range(0, st.Count).First(s => s != entry && !st.IsDeleted(s));
        for (int slot = 0; slot < st.Count; slot++)
        {
            int* block = st.Links(slot, 0);
            int kept = 0;
            for (int i = 1; i <= block[0]; i++)
            {
                if (block[i] != target)
                {
                    block[1 + kept++] = block[i];
                }
            }

            block[0] = kept;
        }

        var problem = AssertDetected(index, "reachability");
        Assert.True(index.CheckIntegrity().UnreachableCount >= 1);
        Assert.Contains(problem.Examples, e => e.StartsWith($"slot {target} ", StringComparison.Ordinal));

        index.RepairGraph();
        Assert.True(index.CheckIntegrity().IsHealthy);
    }

    private static float[] Normalize(float[] row)
    {
        float norm = MathF.Sqrt(row.Sum(x => x * x));
        return [.. row.Select(x => x / norm)];
    }

    private static (VectorIndex Index, IndexState State) Build()
    {
        var index = Snapshots.GraphSnapshotTests.BuildWithHistory(DistanceMetric.Euclidean, TestData.Clustered(400, 8, 5, seed: 9));
        Assert.True(index.CheckIntegrity().IsHealthy);
        return (index, index.CurrentState);
    }

    private static int SlotWithLinks(IndexState st, int minimum = 1) =>
        Enumerable.Range(0, st.Count).First(s => st.Links(s, 0)[0] >= minimum);

    private static IntegrityProblem AssertDetected(VectorIndex index, string check)
    {
        var report = index.CheckIntegrity();
        Assert.False(report.IsHealthy);
        var problem = report.Find(check);
        Assert.True(problem is not null, $"'{check}' not reported; got: {string.Join("; ", report.Problems)}");
        Assert.True(problem.Count >= 1);
        Assert.NotEmpty(problem.Examples);
        return problem;
    }
}
