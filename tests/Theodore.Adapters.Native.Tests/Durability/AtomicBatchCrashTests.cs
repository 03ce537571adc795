using System.Diagnostics;
using System.Globalization;
using Theodore.Core.Domain;
using Theodore.Core.Ports;
using Theodore.CrashHost;
using Xunit.Abstractions;
using static Theodore.Adapters.Native.Tests.Durability.DurableTestData;

namespace Theodore.Adapters.Native.Tests.Durability;

/// <summary>
/// A real process applies atomic mixed batches (upserts, a soft delete, a metadata merge, an expiry and a delete each)
/// in Sync mode and is killed with SIGKILL at random moments on one data directory. After the kills the directory is
/// reopened here and every batch is checked to be applied whole or not at all (<see cref="AtomicCrashWorkload"/>), every
/// acknowledged batch applied, and no batch applied after one that was not.
/// </summary>
public sealed class AtomicBatchCrashTests(ITestOutputHelper output)
{
    private const int Seed = ProcessCrashTests.Seed;

    [Fact]
    public async Task Sigkill_during_atomic_mixed_batches_never_leaves_a_batch_half_applied()
    {
        var cycles = int.TryParse(Environment.GetEnvironmentVariable("THEODORE_ATOMIC_CRASH_CYCLES"), CultureInfo.InvariantCulture, out var n) ? n : 30;
        var host = Path.Combine(AppContext.BaseDirectory, "Theodore.CrashHost.dll");
        Assert.True(File.Exists(host), $"the crash host is not next to the tests: {host}");
        var directory = new TempDataDirectory();
        var random = new Random(Seed + 7);
        var acknowledged = new SortedSet<int>();
        var nextBatch = 0;
        var highestAttempted = -1;
        var clock = Stopwatch.StartNew();
        var applied = 0;
        try
        {
            for (var cycle = 0; cycle < cycles; cycle++)
            {
                var acks = await ProcessCrashTests.RunAndKillAsync(host, directory.Path, nextBatch, random.Next(0, 30), TimeSpan.FromMilliseconds(random.Next(0, 15)), "atomic");
                highestAttempted = Math.Max(highestAttempted, acks.Count == 0 ? nextBatch : acks[^1] + 1);
                acknowledged.UnionWith(acks);
                if (acks.Count > 0)
                {
                    nextBatch = acks[^1] + 1;
                }

                if (cycle % 4 == 3 || cycle == cycles - 1)
                {
                    applied = await VerifyAsync(directory, acknowledged, highestAttempted);
                }
            }

            output.WriteLine($"{cycles} kills in {clock.Elapsed.TotalSeconds:F0} s, {acknowledged.Count} acknowledged atomic batches, {applied} applied, none half applied");
            Assert.True(acknowledged.Count >= cycles / 2, $"only {acknowledged.Count} batches were acknowledged in {cycles} cycles; the kills came too early to test much");
        }
        finally
        {
            directory.Delete();
        }
    }

    // Returns how many batches are applied; fails on any batch seen half applied.
    private static async Task<int> VerifyAsync(TempDataDirectory directory, SortedSet<int> acknowledged, int highestAttempted)
    {
        await using var storage = await directory.OpenAsync();
        if ((await storage.ListIndexesAsync()).Count == 0)
        {
            Assert.Empty(acknowledged);
            return 0;
        }

        var operations = (IRecordOperationsStorage)storage.GetService(typeof(IRecordOperationsStorage))!;
        var records = new Dictionary<string, VectorRecord>(StringComparer.Ordinal);
        var ids = new List<VectorId>();
        for (var batch = 0; batch <= highestAttempted + 1; batch++)
        {
            for (var item = 0; item < AtomicCrashWorkload.RecordsPerBatch; item++)
            {
                ids.Add(VectorId.Parse(AtomicCrashWorkload.Id(batch, item)));
            }
        }

        foreach (var record in await operations.GetManyAsync(AtomicCrashWorkload.Index, ids, includeDeleted: true))
        {
            records.Add(record.Id.Value, record);
        }

        bool Applied(int batch) => records.ContainsKey(AtomicCrashWorkload.Id(batch, 4));
        var count = 0;
        for (var batch = 0; batch <= highestAttempted + 1; batch++)
        {
            var where = $"batch {batch} (highest attempted {highestAttempted})";
            if (!Applied(batch))
            {
                Assert.DoesNotContain(batch, acknowledged);
                for (var item = 0; item < AtomicCrashWorkload.RecordsPerBatch; item++)
                {
                    Assert.False(records.ContainsKey(AtomicCrashWorkload.Id(batch, item)), $"{where} is not applied but record {item} exists");
                }

                Assert.False(Applied(batch + 1), $"{where} is not applied but the next one is");
                continue;
            }

            count++;
            var next = Applied(batch + 1);
            for (var item = 0; item < AtomicCrashWorkload.RecordsPerBatch; item++)
            {
                var id = AtomicCrashWorkload.Id(batch, item);
                if (item == 3 && next)
                {
                    Assert.False(records.ContainsKey(id), $"{where}: record 3 survived the next batch's delete");
                    continue;
                }

                Assert.True(records.TryGetValue(id, out var record), $"{where}: record {item} is missing");
                Assert.True(SameBytes(CrashWorkload.Vector(Seed, batch, item), record.Values), $"{where}: the vector of {id} is not what was written");
                Assert.Equal(item == 0 && next, record.DeletedAt is not null);
                Assert.Equal(item == 2 && next ? AtomicCrashWorkload.Expiry : null, record.ExpiresAt);
                var metadata = AtomicCrashWorkload.Metadata(batch);
                if (item == 1 && next)
                {
                    metadata = Metadata.Create([.. metadata, .. AtomicCrashWorkload.Next(batch + 1)]);
                }

                Assert.Equal(metadata, record.Metadata);
            }
        }

        var integrity = await storage.CheckIntegrityAsync(AtomicCrashWorkload.Index);
        Assert.True(integrity.IsHealthy, "integrity after the restart: " + string.Join("; ", integrity.Problems.Select(p => p.Message)));
        return count;
    }
}
