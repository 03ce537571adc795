using System.Collections.Concurrent;

namespace Theodore.Engine.Tests;

public sealed class OnlineRebuildTests
{
    private const int Dimension = 16;

    private static readonly Dictionary<string, EngineValue> NoMeta = new(StringComparer.Ordinal);

    private static VectorIndexOptions Options(int m = 16, int efConstruction = 64) =>
        new() { Dimension = Dimension, Metric = DistanceMetric.Euclidean, M = m, EfConstruction = efConstruction, CompactionThreshold = 1 };

    [Fact]
    public async Task Complete_newOptions_indexRunsOnThemWithEveryRecord()
    {
        var rows = TestData.Clustered(3_000, Dimension, 20, seed: 3);
        var index = new VectorIndex(Options());
        index.UpsertMany([.. rows.Select((row, i) => new EngineRecord(TestData.Key(i), row, Meta(i)))]);

        using var rebuild = index.BeginRebuild(Options(m: 8, efConstruction: 100));
        Assert.True(index.IsRebuilding);
        await rebuild.BuildAsync();
        rebuild.Complete();

        Assert.False(index.IsRebuilding);
        Assert.True(rebuild.Completed);
        Assert.Equal(3_000, rebuild.RecordsTotal);
        Assert.Equal(3_000, rebuild.RecordsDone);
        Assert.Equal(8, index.Options.M);
        Assert.Equal(100, index.Options.EfConstruction);
        Assert.Equal(8, index.CurrentState.M);
        Assert.Equal(rows.Length, index.Count);
        Assert.True(index.CheckIntegrity().IsHealthy);
        for (int i = 0; i < rows.Length; i++)
        {
            var record = index.Get(TestData.Key(i));
            Assert.NotNull(record);
            Assert.Equal(rows[i], record.Vector.ToArray());
            Assert.Equal(Meta(i)["n"], record.Metadata["n"]);
        }

        Assert.True(SelfRecall(index, rows, Enumerable.Range(0, rows.Length)) >= 0.99);
    }

    [Fact]
    public async Task Rebuild_underConcurrentWritesAndSearches_noSearchFailsOrMissesAnAcknowledgedRecord()
    {
        const int initial = 4_000;
        var rows = TestData.Clustered(initial + 20_000, Dimension, 25, seed: 5);
        var index = new VectorIndex(Options());
        index.UpsertMany([.. Enumerable.Range(0, initial).Select(i => new EngineRecord(TestData.Key(i), rows[i], NoMeta))]);

        // What the writer has had acknowledged: key -> row number (null once deleted). It replaces and deletes only
        // keys below `churned`; every other key, once acknowledged, never changes, so searchers look for those and a
        // miss is a lost record, not a race.
        const int churned = initial / 2;
        var acknowledged = new ConcurrentDictionary<string, int?>(StringComparer.Ordinal);
        for (int i = 0; i < initial; i++)
        {
            acknowledged[TestData.Key(i)] = i;
        }

        var stable = new ConcurrentQueue<int>(Enumerable.Range(churned, initial - churned));
        using var stop = new CancellationTokenSource();
        Exception? failure = null;
        int searches = 0;
        var writer = new Thread(() =>
        {
            try
            {
                var random = new Random(1);
                for (int next = initial; next < rows.Length && !stop.IsCancellationRequested; next++)
                {
                    if (next % 8 == 0)
                    {
                        Thread.Sleep(1);
                    }

                    int choice = random.Next(10);
                    if (choice < 6)
                    {
                        index.Upsert(TestData.Key(next), rows[next]);
                        acknowledged[TestData.Key(next)] = next;
                        stable.Enqueue(next);
                        continue;
                    }

                    string key = TestData.Key(random.Next(churned));
                    if (choice < 9)
                    {
                        index.Upsert(key, rows[next]);
                        acknowledged[key] = next;
                    }
                    else if (index.Delete(key))
                    {
                        acknowledged[key] = null;
                    }
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        });
        var searchers = Enumerable.Range(0, 2).Select(s => new Thread(() =>
        {
            try
            {
                var random = new Random(100 + s);
                while (!stop.IsCancellationRequested)
                {
                    var snapshot = stable.ToArray();
                    int row = snapshot[random.Next(snapshot.Length)];
                    var hits = index.Search(rows[row], 1, exact: true);
                    if (hits.Length == 0 || hits[0].Distance > 1e-3f)
                    {
                        throw new InvalidOperationException($"the acknowledged record of row {row} was not found");
                    }

                    var approximate = index.Search(rows[row], 10, ef: 64);
                    if (approximate.Length != 10)
                    {
                        throw new InvalidOperationException($"a search returned {approximate.Length} hits");
                    }

                    Interlocked.Increment(ref searches);

                    // The build runs at background priority: busy loops on every core would starve it.
                    Thread.Sleep(1);
                }
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        })).ToList();

        writer.Start();
        searchers.ForEach(t => t.Start());
        Thread.Sleep(50);
        using (var rebuild = index.BeginRebuild(Options(m: 10, efConstruction: 80), threads: 2))
        {
            await rebuild.BuildAsync();
            rebuild.Complete();
            Assert.True(rebuild.RecordsCaughtUp > 0, "no write happened during the build: the test proves nothing");
        }

        Thread.Sleep(50);
        stop.Cancel();
        writer.Join();
        searchers.ForEach(t => t.Join());

        Assert.Null(failure);
        Assert.True(searches > 0);
        Assert.Equal(10, index.Options.M);
        int expected = 0;
        foreach (var (key, row) in acknowledged)
        {
            var stored = index.Get(key);
            if (row is null)
            {
                Assert.Null(stored);
                continue;
            }

            expected++;
            Assert.NotNull(stored);
            Assert.Equal(rows[row.Value], stored.Vector.ToArray());
        }

        Assert.Equal(expected, index.Count);
        Assert.True(index.CheckIntegrity().IsHealthy);
        var liveRows = acknowledged.Values.Where(static v => v is not null).Select(static v => v!.Value).ToList();
        Assert.True(SelfRecall(index, rows, liveRows) >= 0.98);
    }

    [Fact]
    public async Task Rebuild_sameOptions_dropsTombstonesOfAHeavilyDeletedGraph()
    {
        var rows = TestData.Clustered(4_000, Dimension, 20, seed: 9);
        var index = new VectorIndex(Options());
        index.UpsertMany([.. rows.Select((row, i) => new EngineRecord(TestData.Key(i), row, NoMeta))]);
        for (int i = 0; i < 3_000; i++)
        {
            index.Delete(TestData.Key(i));
        }

        Assert.Equal(3_000, index.TombstoneCount);

        using var rebuild = index.BeginRebuild(index.Options);
        await rebuild.BuildAsync();
        rebuild.Complete();

        Assert.Equal(0, index.TombstoneCount);
        Assert.Equal(1_000, index.Count);
        Assert.Equal(1_000, index.CurrentState.Count);
        Assert.Null(index.Get(TestData.Key(0)));
        Assert.True(SelfRecall(index, rows, Enumerable.Range(3_000, 1_000)) >= 0.99);
    }

    [Fact]
    public async Task Dispose_beforeComplete_leavesTheIndexAsItWas()
    {
        var rows = TestData.Clustered(1_000, Dimension, 10, seed: 4);
        var index = new VectorIndex(Options());
        index.UpsertMany([.. rows.Select((row, i) => new EngineRecord(TestData.Key(i), row, NoMeta))]);
        var state = index.CurrentState;

        var rebuild = index.BeginRebuild(Options(m: 4));
        Assert.Throws<InvalidOperationException>(() => index.BeginRebuild(Options(m: 6)));
        await rebuild.BuildAsync();
        index.Upsert("late", rows[0]);
        rebuild.Dispose();

        Assert.False(index.IsRebuilding);
        Assert.Same(state, index.CurrentState);
        Assert.Equal(16, index.Options.M);
        Assert.Equal(1_001, index.Count);
        Assert.Throws<ObjectDisposedException>(rebuild.Complete);

        // A later rebuild starts afresh.
        using var again = index.BeginRebuild(Options(m: 6));
        await again.BuildAsync();
        again.Complete();
        Assert.Equal(6, index.Options.M);
        Assert.Equal(1_001, index.Count);
        Assert.NotNull(index.Get("late"));
    }

    [Fact]
    public void BeginRebuild_otherDimensionOrMetric_isRefused()
    {
        var index = new VectorIndex(Options());
        Assert.Throws<ArgumentException>(() => index.BeginRebuild(Options() with { Dimension = 8 }));
        Assert.Throws<ArgumentException>(() => index.BeginRebuild(Options() with { Metric = DistanceMetric.Cosine }));
        Assert.False(index.IsRebuilding);
    }

    [Fact]
    public async Task Complete_cosineIndex_keepsTheStoredVectorsBitForBit()
    {
        var rows = TestData.Clustered(600, Dimension, 6, seed: 8);
        var index = new VectorIndex(new VectorIndexOptions { Dimension = Dimension, Metric = DistanceMetric.Cosine });
        index.UpsertMany([.. rows.Select((row, i) => new EngineRecord(TestData.Key(i), row, NoMeta))]);
        var before = Enumerable.Range(0, rows.Length).Select(i => index.Get(TestData.Key(i))!.Vector.ToArray()).ToArray();

        using var rebuild = index.BeginRebuild(index.Options with { M = 8 });
        await rebuild.BuildAsync();
        rebuild.Complete();

        for (int i = 0; i < rows.Length; i++)
        {
            Assert.Equal(before[i], index.Get(TestData.Key(i))!.Vector.ToArray());
        }
    }

    [Fact]
    public async Task Complete_keepsSoftDeletedAndExpiringRecordsWithTheirState_andChangesMadeDuringTheBuild()
    {
        var rows = TestData.Clustered(1_000, Dimension, 10, seed: 12);
        var index = new VectorIndex(Options());
        index.UpsertMany([.. rows.Select((row, i) => new EngineRecord(TestData.Key(i), row, Meta(i)))]);
        var far = new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.True(index.SoftDelete(TestData.Key(1), DateTimeOffset.UnixEpoch.AddDays(1)));
        Assert.True(index.SetExpiry(TestData.Key(2), far));

        using var rebuild = index.BeginRebuild(Options(m: 8));
        await rebuild.BuildAsync();

        // Visibility and metadata changes after the copy reach the new graph through the catch-up.
        Assert.True(index.SoftDelete(TestData.Key(3), DateTimeOffset.UnixEpoch.AddDays(2)));
        Assert.True(index.Restore(TestData.Key(1)));
        Assert.True(index.UpdateMetadata(TestData.Key(4), Meta(-4)));
        Assert.True(index.SetExpiry(TestData.Key(5), far));
        rebuild.Complete();

        Assert.Equal(8, index.Options.M);
        Assert.Equal(EngineRecordState.Live, index.StateOf(TestData.Key(1)));
        Assert.Equal(EngineRecordState.SoftDeleted, index.StateOf(TestData.Key(3)));
        Assert.Null(index.Get(TestData.Key(3)));
        Assert.NotNull(index.Get(TestData.Key(3), includeDeleted: true));
        Assert.Equal(far, index.Get(TestData.Key(2))!.ExpiresAt);
        Assert.Equal(far, index.Get(TestData.Key(5))!.ExpiresAt);
        Assert.Equal(Meta(-4)["n"], index.Get(TestData.Key(4))!.Metadata["n"]);
        Assert.Equal(999, index.Count);
        Assert.Equal(1, index.SoftDeletedCount);
        Assert.True(index.CheckIntegrity().IsHealthy);
        Assert.DoesNotContain(index.Search(rows[3], 5, exact: true), hit => hit.Key == TestData.Key(3));
        Assert.Contains(index.Search(rows[1], 1, exact: true), hit => hit.Key == TestData.Key(1));
    }

    private static Dictionary<string, EngineValue> Meta(int i) => new(StringComparer.Ordinal) { ["n"] = EngineValue.FromDouble(i) };

    private static double SelfRecall(VectorIndex index, float[][] rows, IEnumerable<int> live)
    {
        int found = 0, total = 0;
        foreach (int row in live)
        {
            total++;
            var hits = index.Search(rows[row], 1, ef: 64);
            if (hits.Length > 0 && hits[0].Distance < 1e-3f)
            {
                found++;
            }
        }

        return (double)found / total;
    }
}
