using System.Collections.Concurrent;
using Theodore.Adapters.Native.Tests.Durability;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Engine.Durability;
using static Theodore.Adapters.Native.Tests.Durability.DurableTestData;

namespace Theodore.Adapters.Native.Tests;

public sealed class OnlineRebuildTests
{
    private const int Dimension = 32;
    private static readonly IndexName Name = IndexName.Parse("rebuild");
    private static readonly Namespace Second = Namespace.Parse("b");

    [Fact]
    public async Task Native_declares_and_offers_online_rebuild()
    {
        await using var storage = new NativeVectorStorage();
        Assert.True(storage.Capabilities.OnlineRebuild);
        Assert.Same(storage, storage.GetService(typeof(IOnlineRebuildStorage)));
        await Assert.ThrowsAsync<IndexNotFoundException>(() => storage.StartRebuildAsync(Name, null).AsTask());

        await storage.CreateIndexAsync(new IndexDefinition(Name, Dimension, DistanceMetric.Cosine, hnsw: new HnswOptions(12, 90)));
        var status = await storage.GetRebuildStatusAsync(Name);
        Assert.Equal(RebuildPhase.None, status.Phase);
        Assert.Equal(new HnswOptions(12, 90), status.Hnsw);
        Assert.Equal(status, (await storage.GetStatsAsync(Name)).Rebuild);
    }

    [Fact]
    public async Task Rebuild_with_new_options_under_writes_and_searches_keeps_every_acknowledged_write_and_survives_a_restart()
    {
        var directory = new TempDataDirectory();
        try
        {
            var acknowledged = new ConcurrentDictionary<(Namespace, string), VectorRecord?>();
            await using (var storage = await NativeVectorStorage.OpenAsync(directory.Options()))
            {
                await storage.CreateIndexAsync(new IndexDefinition(Name, Dimension, DistanceMetric.Euclidean, hnsw: new HnswOptions(16, 100)));
                foreach (var ns in new[] { default, Second })
                {
                    var batch = Enumerable.Range(0, 1_500).Select(i => Record($"r{i}", (ns == Second ? 100_000 : 0) + i, Dimension)).ToList();
                    await storage.UpsertManyAsync(Name, batch, ns);
                    foreach (var record in batch)
                    {
                        acknowledged[(ns, record.Id.Value)] = record;
                    }
                }

                using var stop = new CancellationTokenSource();
                var searches = 0;
                var started = await storage.StartRebuildAsync(Name, new HnswOptions(8, 64));
                Assert.True(started.IsRunning);
                Assert.Equal(new HnswOptions(8, 64), started.Hnsw);

                // The writer adds records, replaces and deletes old ones; the searcher looks for records no writer
                // touches, each acknowledged before the search, by exact scan (a miss would be a lost record) and
                // through the graph (which must answer in full).
                var writer = Task.Run(async () =>
                {
                    var random = new Random(7);
                    for (var i = 0; !stop.IsCancellationRequested || i < 200; i++)
                    {
                        var ns = random.Next(2) == 0 ? default : Second;
                        var choice = random.Next(10);
                        var id = choice < 6 ? $"w{i}" : $"r{random.Next(500)}";
                        if (choice < 9)
                        {
                            var record = Record(id, 200_000 + i, Dimension);
                            await storage.UpsertAsync(Name, record, ns);
                            acknowledged[(ns, id)] = record;
                        }
                        else if (await storage.DeleteAsync(Name, VectorId.Parse(id), ns))
                        {
                            acknowledged[(ns, id)] = null;
                        }
                    }
                });
                var searcher = Task.Run(async () =>
                {
                    var random = new Random(8);
                    while (!stop.IsCancellationRequested)
                    {
                        var ns = random.Next(2) == 0 ? default : Second;
                        var seed = (ns == Second ? 100_000 : 0) + 500 + random.Next(1_000);
                        var query = Vector(seed, Dimension);
                        var exact = await storage.SearchAsync(Name, query, new SearchOptions { TopK = 1, Exact = true, Namespace = ns });
                        Assert.Equal($"r{seed % 100_000}", exact.Matches[0].Id.Value);
                        var walked = await storage.SearchAsync(Name, query, new SearchOptions { TopK = 10, Namespace = ns });
                        Assert.Equal(10, walked.Matches.Count);
                        Interlocked.Increment(ref searches);
                    }
                });

                await storage.WaitForRebuildAsync(Name);
                await stop.CancelAsync();
                await Task.WhenAll(writer, searcher);

                var status = await storage.GetRebuildStatusAsync(Name);
                Assert.Equal(RebuildPhase.Completed, status.Phase);
                Assert.Null(status.Error);
                Assert.Equal(3_000, status.RecordsTotal);
                Assert.Equal(status.RecordsTotal, status.RecordsDone);
                Assert.NotNull(status.FinishedAt);
                Assert.Equal(status, (await storage.GetStatsAsync(Name)).Rebuild);
                Assert.Equal(new HnswOptions(8, 64), (await storage.DescribeIndexAsync(Name)).Definition.Hnsw);
                Assert.True(searches > 0);
                await AssertHoldsAsync(storage, acknowledged);
                Assert.True((await storage.CheckIntegrityAsync(Name)).IsHealthy);
            }

            await using (var reopened = await NativeVectorStorage.OpenAsync(directory.Options()))
            {
                Assert.Equal(new HnswOptions(8, 64), (await reopened.DescribeIndexAsync(Name)).Definition.Hnsw);
                Assert.Equal(new HnswOptions(8, 64), (await reopened.GetRebuildStatusAsync(Name)).Hnsw);

                // The snapshot written after the swap holds graphs on the new options, so nothing is rebuilt at start.
                var report = reopened.LoadReportOf(Name)!;
                Assert.Equal(2, report.GraphsLoaded);
                Assert.Equal(0, report.GraphsBuilt);
                await AssertHoldsAsync(reopened, acknowledged);
            }
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Power_loss_at_any_point_of_a_rebuild_loses_no_acknowledged_write()
    {
        var crashedDuringRebuild = 0;
        for (var point = 1; point <= 30; point++)
        {
            var fs = new CrashSimFileSystem(point);
            var acknowledged = new Dictionary<(Namespace, string), VectorRecord?>();
            var storage = await NativeVectorStorage.OpenAsync(DurableStorageTests.SimOptions(), null, fs);
            await storage.CreateIndexAsync(new IndexDefinition(Name, 8, DistanceMetric.Euclidean));
            var batch = Enumerable.Range(0, 400).Select(i => Record($"r{i}", i, 8)).ToList();
            await storage.UpsertManyAsync(Name, batch);
            batch.ForEach(record => acknowledged[(default, record.Id.Value)] = record);

            fs.CrashAtPoint = fs.CrashPointCount + point;
            RebuildStatus status;
            try
            {
                await storage.StartRebuildAsync(Name, new HnswOptions(6, 40));
                for (var i = 0; i < 10; i++)
                {
                    var record = Record($"w{i}", 1_000 + i, 8);
                    await storage.UpsertAsync(Name, record);
                    acknowledged[(default, record.Id.Value)] = record;
                }

                await storage.WaitForRebuildAsync(Name);
            }
            catch (Exception ex) when (ex is VectorStorageException or SimulatedCrashException or DurabilityException)
            {
                // The crash surfaced through a write: issued, not acknowledged.
                await storage.WaitForRebuildAsync(Name);
            }
            finally
            {
                status = await storage.GetRebuildStatusAsync(Name);
            }

            if (fs.HasCrashed && status.Phase == RebuildPhase.Failed)
            {
                crashedDuringRebuild++;
            }

            try
            {
                await storage.DisposeAsync();
            }
            catch (Exception ex) when (ex is SimulatedCrashException or DurabilityException or IOException)
            {
                // The machine is already off.
            }

            await using var recovered = await NativeVectorStorage.OpenAsync(DurableStorageTests.SimOptions(), null, fs.SimulatePowerLoss());
            var hnsw = (await recovered.DescribeIndexAsync(Name)).Definition.Hnsw;
            if (status.Phase == RebuildPhase.Completed)
            {
                Assert.Equal(new HnswOptions(6, 40), hnsw);
            }
            else
            {
                Assert.True(hnsw is null || hnsw == new HnswOptions(6, 40), $"crash point {point}: options {hnsw}");
            }

            Assert.True((await recovered.CheckIntegrityAsync(Name)).IsHealthy, $"crash point {point}");
            var all = await ReadAllAsync(recovered, Name);
            foreach (var ((_, id), record) in acknowledged)
            {
                Assert.True(all.TryGetValue(id, out var found), $"crash point {point}: acknowledged {id} lost ({status.Phase})");
                Assert.True(SameBytes(record!.Values, found.Values));
            }
        }

        Assert.True(crashedDuringRebuild >= 1, "no case lost power while the rebuild ran: the test proves little");
    }

    [Fact]
    public async Task Rebuild_without_options_reclaims_a_heavily_deleted_graph_and_keeps_the_definition()
    {
        await using var storage = new NativeVectorStorage(new NativeOptions { Durability = DurabilityMode.None, CompactionThreshold = 1 });
        await storage.CreateIndexAsync(new IndexDefinition(Name, 256, DistanceMetric.Euclidean));
        await storage.UpsertManyAsync(Name, [.. Enumerable.Range(0, 4_000).Select(i => Record($"r{i}", i, 256))]);
        await storage.DeleteManyAsync(Name, [.. Enumerable.Range(0, 3_500).Select(i => VectorId.Parse($"r{i}"))]);
        var before = (await storage.GetStatsAsync(Name)).MemoryBytes!.Value;

        var started = await storage.StartRebuildAsync(Name, null);
        var again = await storage.StartRebuildAsync(Name, new HnswOptions(4, 10));
        Assert.Equal(started.StartedAt, again.StartedAt);
        Assert.Equal(started.Hnsw, again.Hnsw);
        await storage.WaitForRebuildAsync(Name);

        var stats = await storage.GetStatsAsync(Name);
        Assert.Equal(RebuildPhase.Completed, stats.Rebuild!.Phase);
        Assert.Equal(500, stats.TotalVectors);
        Assert.True(stats.MemoryBytes < before / 2, $"memory {stats.MemoryBytes} of {before} before");
        Assert.Null((await storage.DescribeIndexAsync(Name)).Definition.Hnsw);
        var hit = await storage.SearchAsync(Name, Vector(3_900, 256), new SearchOptions { TopK = 1 });
        Assert.Equal("r3900", hit.Matches[0].Id.Value);
    }

    [Fact]
    public async Task A_rebuild_that_would_pass_the_memory_budget_is_refused_and_starts_nothing()
    {
        await using var storage = new NativeVectorStorage(new NativeOptions { Durability = DurabilityMode.None, MemoryBudgetBytes = 6_000_000 });
        await storage.CreateIndexAsync(new IndexDefinition(Name, 256, DistanceMetric.Euclidean));

        // Three whole chunks of 1,024 256-d slots: over 3 MB held, so a second copy cannot fit in 6 MB.
        await storage.UpsertManyAsync(Name, [.. Enumerable.Range(0, 3_000).Select(i => Record($"r{i}", i, 256))]);
        Assert.True(storage.GetMemoryBudget().UsedBytes > 3_000_000, $"{storage.GetMemoryBudget().UsedBytes}");

        await Assert.ThrowsAsync<CapacityExceededException>(() => storage.StartRebuildAsync(Name, new HnswOptions(8, 64)).AsTask());
        Assert.Equal(RebuildPhase.None, (await storage.GetRebuildStatusAsync(Name)).Phase);
    }

    private static async Task AssertHoldsAsync(NativeVectorStorage storage, IReadOnlyDictionary<(Namespace, string), VectorRecord?> acknowledged)
    {
        foreach (var ns in new[] { default, Second })
        {
            var all = await ReadAllAsync(storage, Name, ns);
            var expected = acknowledged.Where(pair => pair.Key.Item1 == ns && pair.Value is not null).ToDictionary(pair => pair.Key.Item2, pair => pair.Value!, StringComparer.Ordinal);
            AssertSameRecords(expected, all);
        }
    }
}
