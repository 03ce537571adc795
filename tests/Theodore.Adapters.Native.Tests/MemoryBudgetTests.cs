using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Theodore.Engine.Durability;
using static Theodore.Adapters.Native.Tests.Durability.DurableTestData;

namespace Theodore.Adapters.Native.Tests;

public sealed class MemoryBudgetTests
{
    // 256-d vectors fill a 1,024-slot chunk of about 1.15 MB (M = 8): 4 MB holds three chunks and refuses the fourth.
    private const int Dimension = 256;
    private const long Budget = 4_000_000;
    private static readonly IndexName Name = IndexName.Parse("budget");

    [Fact]
    public async Task An_index_driven_to_its_budget_refuses_whole_writes_keeps_every_acknowledged_one_and_survives_a_restart()
    {
        var directory = new TempDataDirectory();
        try
        {
            var options = directory.Options();
            options.MemoryBudgetBytes = Budget;
            var acknowledged = new List<string>();
            var next = 0;
            await using (var storage = await NativeVectorStorage.OpenAsync(options))
            {
                await storage.CreateIndexAsync(new IndexDefinition(Name, Dimension, DistanceMetric.Euclidean, hnsw: new HnswOptions(8, 64)));

                // Batches of 100 until one is refused: it is refused whole, and none of it is visible.
                CapacityExceededException? refused = null;
                List<VectorRecord> batch = [];
                for (var round = 0; round < 100 && refused is null; round++)
                {
                    batch = [.. Enumerable.Range(next, 100).Select(i => Record($"r{i}", i, Dimension))];
                    try
                    {
                        await storage.UpsertManyAsync(Name, batch);
                        acknowledged.AddRange(batch.Select(static r => r.Id.Value));
                        next += 100;
                        Assert.True(storage.GetMemoryBudget().UsedBytes <= Budget, $"used {storage.GetMemoryBudget().UsedBytes} after {acknowledged.Count} records");
                    }
                    catch (CapacityExceededException ex)
                    {
                        refused = ex;
                    }
                }

                Assert.NotNull(refused);
                Assert.Equal(ErrorCodes.CapacityExceeded, refused.Code);
                Assert.Contains("4,000,000-byte budget", refused.Message, StringComparison.Ordinal);
                Assert.Contains("MemoryBudgetBytes", refused.Message, StringComparison.Ordinal);
                Assert.Contains("Nothing was written", refused.Message, StringComparison.Ordinal);
                Assert.True(acknowledged.Count >= 2_000, $"only {acknowledged.Count} records fit in {Budget} bytes");
                Assert.Empty(await storage.GetManyAsync(Name, [.. batch.Select(static r => r.Id)]));

                // Single writes fill what the allocated chunks still hold, then are refused too.
                var singleRefused = false;
                for (var i = 0; i < 200 && !singleRefused; i++)
                {
                    var record = Record($"r{next}", next, Dimension);
                    try
                    {
                        await storage.UpsertAsync(Name, record);
                        acknowledged.Add(record.Id.Value);
                        next++;
                    }
                    catch (CapacityExceededException)
                    {
                        singleRefused = true;
                        Assert.Null(await storage.GetAsync(Name, record.Id));
                    }
                }

                Assert.True(singleRefused, "single writes were never refused");
                var status = storage.GetMemoryBudget();
                Assert.Equal(Budget, status.BudgetBytes);
                Assert.True(status.UsedBytes >= Budget / 2 && status.UsedBytes <= Budget, $"used {status.UsedBytes} of {Budget} after {acknowledged.Count} records");
                Assert.Equal(status.UsedBytes, (await storage.GetStatsAsync(Name)).MemoryBytes);

                // Reads keep working at the budget: every acknowledged record, and searches.
                await AssertAllReadableAsync(storage, acknowledged);
                var hits = await storage.SearchAsync(Name, Record("q", 7, Dimension).Values, new SearchOptions { TopK = 10 });
                Assert.Equal(10, hits.Matches.Count);
                Assert.Equal("r7", hits.Matches[0].Id.Value);

                // Deletes always run, and once compaction gives their slots back writes fit again.
                var deleted = acknowledged.Take(1_000).ToList();
                Assert.Equal(1_000, (await storage.DeleteManyAsync(Name, [.. deleted.Select(static id => VectorId.Parse(id))])).Succeeded);
                acknowledged.RemoveRange(0, 1_000);
                var again = Enumerable.Range(next, 100).Select(i => Record($"r{i}", i, Dimension)).ToList();
                await storage.UpsertManyAsync(Name, again);
                acknowledged.AddRange(again.Select(static r => r.Id.Value));
                Assert.True(storage.GetMemoryBudget().UsedBytes <= Budget);
            }

            // After a restart everything acknowledged is there, and nothing refused or deleted.
            await using (var reopened = await NativeVectorStorage.OpenAsync(options))
            {
                await AssertAllReadableAsync(reopened, acknowledged);
                Assert.Equal(acknowledged.Count, (await reopened.DescribeIndexAsync(Name)).VectorCount);
                Assert.Null(await reopened.GetAsync(Name, VectorId.Parse("r0")));
            }
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task A_write_into_a_new_namespace_counts_the_chunk_it_would_allocate()
    {
        // A chunk's vectors and links cost only the pages its slots write, but its per-slot bookkeeping arrays (4,096
        // slots x 27 bytes at this dimension) are allocated whole: more than this budget for one record.
        await using var storage = new NativeVectorStorage(new NativeOptions { Durability = DurabilityMode.None, MemoryBudgetBytes = 100_000 });
        await storage.CreateIndexAsync(new IndexDefinition(Name, Dimension, DistanceMetric.Euclidean));

        var refused = await Assert.ThrowsAsync<CapacityExceededException>(async () => await storage.UpsertAsync(Name, Record("a", 1, Dimension)));

        Assert.Equal("Upsert", refused.Operation);
        Assert.Equal("budget", refused.Index);
        Assert.Null(await storage.GetAsync(Name, VectorId.Parse("a")));
        Assert.Equal(0, (await storage.DescribeIndexAsync(Name)).VectorCount);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void A_budget_of_zero_or_less_is_refused_at_start(long budget)
    {
        var error = Assert.Throws<ArgumentException>(() => new NativeVectorStorage(new NativeOptions { Durability = DurabilityMode.None, MemoryBudgetBytes = budget }));

        Assert.Contains("MemoryBudgetBytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_setting_the_budget_is_the_default_share_of_available_memory_and_it_can_be_turned_off()
    {
        await using var byDefault = new NativeVectorStorage(new NativeOptions { Durability = DurabilityMode.None });
        var expected = (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * NativeOptions.DefaultMemoryBudgetShare);
        Assert.Equal(expected, byDefault.GetMemoryBudget().BudgetBytes);
        Assert.True(byDefault.Capabilities.EnforcesMemoryBudget);
        Assert.Same(byDefault, byDefault.GetService<IMemoryBudgetedStorage>());

        await using var off = new NativeVectorStorage(new NativeOptions { Durability = DurabilityMode.None, MemoryBudgetEnabled = false, MemoryBudgetBytes = 1 });
        await off.CreateIndexAsync(new IndexDefinition(Name, Dimension, DistanceMetric.Euclidean));
        await off.UpsertAsync(Name, Record("a", 1, Dimension));
        Assert.Null(off.GetMemoryBudget().BudgetBytes);
        Assert.True(off.GetMemoryBudget().UsedBytes > 1);
    }

    private static async Task AssertAllReadableAsync(NativeVectorStorage storage, List<string> ids)
    {
        var found = await storage.GetManyAsync(Name, [.. ids.Select(static id => VectorId.Parse(id))]);
        Assert.Equal(ids.Count, found.Count);
        Assert.Equal(ids.ToHashSet(StringComparer.Ordinal), found.Select(static r => r.Id.Value).ToHashSet(StringComparer.Ordinal));
    }
}
