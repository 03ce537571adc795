using System.Diagnostics;
using Theodore.Engine.Durability;
using Theodore.Engine.Graph;
using Theodore.Engine.Tests.Snapshots;

namespace Theodore.Engine.Tests;

// Under a backlog records are linked with a narrower beam and linked again with the full one once it is gone (ADR 0006).
public sealed class BacklogRefinementTests
{
    private const int Dimension = 24;
    private const int Count = 3_000;
    private const int MaxPending = 200;

    private static readonly Dictionary<string, EngineValue> NoMetadata = new(StringComparer.Ordinal);

    private static readonly float[][] Rows = TestData.Clustered(Count, Dimension, 30, seed: 41);

    private static VectorIndex Index(bool paused) =>
        new(new VectorIndexOptions { Dimension = Dimension, Metric = DistanceMetric.Euclidean, EfConstruction = 200 })
        {
            MaxPendingLinks = MaxPending,
            LinkerPaused = paused,
        };

    private static EngineRecord[] Records(int from, int count) =>
        Enumerable.Range(from, count).Select(i => new EngineRecord(TestData.Key(i), Rows[i], NoMetadata)).ToArray();

    // With the linker held back the writer links everything past the limit itself, all of it under the backlog.
    private static VectorIndex Coarse()
    {
        var index = Index(paused: true);
        index.UpsertMany(Records(0, Count));
        return index;
    }

    private static void UntilRefined(VectorIndex index)
    {
        var clock = Stopwatch.StartNew();
        while (index.PendingLinks > 0 || index.PendingRefinements > 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{index.PendingRefinements} records still wait for refinement");
            Thread.Sleep(10);
        }
    }

    private static double Recall(VectorIndex index, int ef)
    {
        var random = new Random(5);
        double recall = 0;
        for (int q = 0; q < 100; q++)
        {
            var query = Rows[random.Next(Count)].Select(v => v + (float)(random.NextDouble() - 0.5)).ToArray();
            recall += TestData.Recall(index.Search(query, 10, ef: ef), index.Search(query, 10, exact: true));
        }

        return recall / 100;
    }

    [Theory]
    [InlineData(16, 200, 40)]
    [InlineData(16, 100, 32)]
    [InlineData(16, 20, 20)]
    [InlineData(32, 200, 64)]
    [InlineData(4, 400, 80)]
    public void BacklogEfConstruction_isAFifthOfTheFullBeam_atLeast2M_atMostTheFullBeam(int m, int efConstruction, int expected)
    {
        var options = new VectorIndexOptions { Dimension = 4, Metric = DistanceMetric.Cosine, M = m, EfConstruction = efConstruction };

        Assert.Equal(expected, options.BacklogEfConstruction);
    }

    [Fact]
    public void Writes_pastHalfTheBacklog_areLinkedCoarsely_andOnlyThen()
    {
        var index = Index(paused: true);
        index.UpsertMany(Records(0, MaxPending / 2));
        Assert.Equal(0, index.PendingRefinements);

        index.UpsertMany(Records(MaxPending / 2, Count - (MaxPending / 2)));

        Assert.Equal(MaxPending, index.PendingLinks);
        Assert.Equal(Count - MaxPending, index.PendingRefinements);
    }

    [Fact]
    public void WithoutABacklogLimit_nothingIsLinkedCoarsely()
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = Dimension, Metric = DistanceMetric.Euclidean });

        index.UpsertMany(Records(0, Count));

        Assert.Equal(0, index.PendingLinks);
        Assert.Equal(0, index.PendingRefinements);
    }

    [Fact]
    public void TheLinker_refinesEveryCoarseRecord_andRecallComesBackToAFullBuild()
    {
        var full = Index(paused: false);
        full.MaxPendingLinks = 0;
        full.UpsertMany(Records(0, Count));
        var index = Coarse();
        index.WaitForLinks();
        double coarse = Recall(index, 10);

        index.LinkerPaused = false;
        UntilRefined(index);

        var report = index.CheckIntegrity();
        Assert.True(report.IsHealthy, string.Join("; ", report.Problems));
        double refined = Recall(index, 10);
        double reference = Recall(full, 10);
        // Seen here: coarse 0.960, refined 0.990, full build 0.972 (a second pass over a node's neighbourhood helps).
        Assert.True(refined >= reference - 0.005, $"recall@10 at ef 10: refined {refined:F3}, full build {reference:F3}, coarse {coarse:F3}");
        Assert.True(refined > coarse, $"refinement did not raise recall: coarse {coarse:F3}, refined {refined:F3}");
    }

    [Fact]
    public async Task Writers_withTheLinkerRunning_waitForIt_andTheBacklogStaysWithinTheLimit()
    {
        var index = Index(paused: false);
        var peak = 0;
        using var stop = new CancellationTokenSource();
        var watcher = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, index.PendingLinks);
                Thread.Sleep(1);
            }
        });

        for (int i = 0; i < Count; i += 100)
        {
            index.UpsertMany(Records(i, 100));
            Assert.True(index.PendingLinks <= MaxPending, $"{index.PendingLinks} waiting after a write returned");
        }

        await stop.CancelAsync();
        await watcher;
        UntilRefined(index);
        Assert.True(peak <= MaxPending + 100 + 64, $"the backlog peaked at {peak}");
        Assert.True(index.CheckIntegrity().IsHealthy);
        for (int i = 0; i < Count; i += 37)
        {
            Assert.Equal(TestData.Key(i), index.Search(Rows[i], 1)[0].Key);
        }
    }

    [Fact]
    public void ASnapshot_keepsTheRefinementsOwed_andTheLoadedIndexFinishesThem()
    {
        var index = Coarse();
        int owed = index.PendingRefinements;

        var fs = SnapshotFiles.Write(index);

        using (var reader = SnapshotReader.Open(fs, SnapshotFiles.Path))
        {
            var (_, state) = GraphSnapshot.Read(reader, SnapshotFiles.Prefix);
            Assert.Equal(index.PendingRefinements, state.Coarse);
            Assert.True(state.Coarse >= owed);
        }

        var loaded = SnapshotFiles.Read(fs);
        UntilRefined(loaded);
        Assert.True(loaded.CheckIntegrity().IsHealthy);
    }

    [Fact]
    public void ASnapshotWithNothingOwed_hasNoCoarseSection()
    {
        var index = Index(paused: false);
        index.MaxPendingLinks = 0;
        index.UpsertMany(Records(0, 500));

        var fs = SnapshotFiles.Write(index);

        using var reader = SnapshotReader.Open(fs, SnapshotFiles.Path);
        Assert.False(reader.HasSection(SnapshotFiles.Prefix + GraphSnapshot.CoarseSection));
    }

    [Fact]
    public void Compaction_carriesTheRefinementsOwedOverToTheLiveRecords()
    {
        var index = Coarse();
        index.WaitForLinks();
        var state = index.CurrentState;
        int liveCoarse = 0;
        for (int i = 0; i < Count; i++)
        {
            if (i % 3 == 0)
            {
                index.Delete(TestData.Key(i));
            }
            else if (state.TryGetSlot(TestData.Key(i), out int slot) && state.IsCoarse(slot))
            {
                liveCoarse++;
            }
        }

        index.Compact();

        Assert.Equal(0, index.TombstoneCount);
        Assert.Equal(liveCoarse, index.PendingRefinements);
        index.LinkerPaused = false;
        UntilRefined(index);
        Assert.True(index.CheckIntegrity().IsHealthy);
    }
}
