using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Errors;
using Theodore.Engine.Durability;
using static Theodore.Adapters.Native.Tests.Durability.DurableTestData;

namespace Theodore.Adapters.Native.Tests.Durability;

/// <summary>
/// Power loss at every crash point of a backup, a restore to a new name and a replacing restore, then a start on what
/// the simulated disk kept: only whole backups and whole indexes may be found, and what was acknowledged must be there.
/// </summary>
public sealed class BackupPowerLossTests
{
    private const int Dimension = 4;
    private static readonly IndexName Source = IndexName.Parse("p");
    private static readonly IndexName Copy = IndexName.Parse("copy");
    private static readonly Dictionary<string, VectorRecord> Expected =
        Enumerable.Range(0, 20).Select(i => Record($"r{i}", i, Dimension)).ToDictionary(r => r.Id.Value, StringComparer.Ordinal);

    [Fact]
    public async Task Power_loss_during_backup_and_restore_leaves_only_whole_backups_and_whole_indexes()
    {
        var crashed = 0;
        for (var point = 1; await RunCaseAsync(point); point++)
        {
            crashed++;
        }

        Assert.True(crashed >= 20, $"the sequence passed only {crashed} crash points");
    }

    // True when the power went off before the sequence ended.
    private static async Task<bool> RunCaseAsync(int point)
    {
        var fs = new CrashSimFileSystem(point);
        var storage = await NativeVectorStorage.OpenAsync(DurableStorageTests.SimOptions(), null, fs);
        await storage.CreateIndexAsync(new IndexDefinition(Source, Dimension, DistanceMetric.Euclidean));
        await storage.UpsertManyAsync(Source, [.. Expected.Values]);
        fs.CrashAtPoint = fs.CrashPointCount + point;
        BackupId? backup = null;
        var copied = false;
        var replaced = false;
        try
        {
            backup = (await storage.CreateBackupAsync(null)).Id;
            await storage.RestoreBackupAsync(backup, Source, Copy, replace: false);
            copied = true;
            await storage.RestoreBackupAsync(backup, Source, null, replace: true);
            replaced = true;
        }
        catch (Exception ex) when (ex is VectorStorageException or SimulatedCrashException or DurabilityException)
        {
            // The power went off inside this step; it was not acknowledged.
        }

        var crashed = fs.HasCrashed;
        try
        {
            await storage.DisposeAsync();
        }
        catch (Exception ex) when (ex is SimulatedCrashException or DurabilityException or IOException)
        {
            // The machine is already off.
        }

        await using var recovered = await NativeVectorStorage.OpenAsync(DurableStorageTests.SimOptions(), null, fs.SimulatePowerLoss());
        var backups = await recovered.ListBackupsAsync();
        Assert.True(backups.Count <= 1, $"point {point}: {backups.Count} backups");
        Assert.All(backups, b => Assert.True(b.IsIntact, $"point {point}: {b.Problem}"));
        if (backup is not null)
        {
            Assert.Equal(backup, Assert.Single(backups).Id);
        }

        var indexes = (await recovered.ListIndexesAsync()).Select(i => i.Definition.Name).ToList();
        foreach (var index in indexes)
        {
            AssertSameRecords(Expected, await ReadAllAsync(recovered, index));
        }

        Assert.True(!copied || indexes.Contains(Copy), $"point {point}: the acknowledged copy is missing");
        Assert.True(!replaced || indexes.Contains(Source), $"point {point}: the acknowledged replacement is missing");
        if (backups.Count == 1)
        {
            var check = await recovered.RestoreBackupAsync(backups[0].Id, Source, IndexName.Parse("check"), replace: false);
            Assert.Equal(Expected.Count, check.Index.VectorCount);
        }

        return crashed;
    }
}
