using System.Buffers.Binary;
using Theodore.Engine.Durability;

namespace Theodore.Engine.Tests.Durability;

public sealed class DurableStoreTests
{
    private const string Data = "/data";

    private static DurableStoreOptions Options(DurabilityMode mode = DurabilityMode.Sync) =>
        new() { DataDirectory = Data, Mode = mode, SegmentSize = 512 };

    private static DurableStore Open(IDurableFileSystem fs, KeyValueMachine machine, DurabilityMode mode = DurabilityMode.Sync) =>
        DurableStore.Open(fs, Options(mode), machine.Restore, machine.Replay);

    private static async Task AppendAsync(DurableStore store, KeyValueMachine machine, KeyValueOp op)
    {
        var lsn = await store.AppendAsync(op.Kind, op.Encode());
        machine.Apply(lsn, op);
    }

    private static async Task CheckpointAsync(DurableStore store, KeyValueMachine machine) =>
        await store.CheckpointAsync(machine.AppliedLsn, KeyValueMachine.UserHeader.ToArray(), machine.SnapshotOf());

    private static void AssertSameState(KeyValueMachine expected, KeyValueMachine actual)
    {
        Assert.Equal(expected.AppliedLsn, actual.AppliedLsn);
        Assert.Equal(expected.State.Keys, actual.State.Keys);
        foreach (var (key, value) in expected.State)
        {
            Assert.Equal(value, actual.State[key]);
        }
    }

    [Fact]
    public async Task Open_after_appends_and_checkpoints_restores_the_same_state()
    {
        var fs = new CrashSimFileSystem(1);
        var machine = new KeyValueMachine();
        var random = new Random(5);
        await using (var store = Open(fs, machine))
        {
            for (var i = 0; i < 300; i++)
            {
                await AppendAsync(store, machine, KeyValueOp.Random(random, i, 20));
                if (i % 70 == 69)
                {
                    await CheckpointAsync(store, machine);
                }
            }
        }

        var recovered = new KeyValueMachine();
        await using var reopened = Open(fs.SimulatePowerLoss(), recovered);

        AssertSameState(machine, recovered);
        Assert.Equal(280, reopened.CheckpointLsn);
        Assert.Equal(20, recovered.Replayed.Count);
        Assert.Equal("snapshot-00000000000000000280.bin", reopened.Recovery.SnapshotFile);
    }

    [Fact]
    public async Task CheckpointAsync_makes_snapshot_and_manifest_durable_then_drops_covered_segments_and_the_old_snapshot()
    {
        var fs = new CrashSimFileSystem(1);
        var machine = new KeyValueMachine();
        var random = new Random(6);
        await using var store = Open(fs, machine);
        for (var i = 0; i < 100; i++)
        {
            await AppendAsync(store, machine, KeyValueOp.Random(random, i, 10));
        }

        await CheckpointAsync(store, machine);
        var segmentsAfterFirst = store.WalSegments;
        for (var i = 100; i < 200; i++)
        {
            await AppendAsync(store, machine, KeyValueOp.Random(random, i, 10));
        }

        Assert.True(await store.CheckpointAsync(200, KeyValueMachine.UserHeader.ToArray(), machine.SnapshotOf()));
        Assert.False(await store.CheckpointAsync(200, KeyValueMachine.UserHeader.ToArray(), machine.SnapshotOf()));

        Assert.Equal(["CURRENT", "snapshot-00000000000000000200.bin"], fs.ListFiles(Data), StringComparer.Ordinal);
        Assert.Single(segmentsAfterFirst);
        Assert.All(store.WalSegments.SkipLast(1), s => Assert.True(s.FirstLsn > 200));
        Assert.True(store.WalSegments[0].FirstLsn <= 201);
        var manifest = DataManifest.Read(fs, Path.Combine(Data, "CURRENT"));
        Assert.Equal(new DataManifest("snapshot-00000000000000000200.bin", 200), manifest);
    }

    [Fact]
    public async Task CheckpointAsync_beyond_the_last_appended_lsn_is_refused()
    {
        var fs = new CrashSimFileSystem(1);
        var machine = new KeyValueMachine();
        await using var store = Open(fs, machine);
        await AppendAsync(store, machine, KeyValueOp.Random(new Random(1), 1, 5));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.CheckpointAsync(2, ReadOnlyMemory<byte>.Empty, machine.SnapshotOf()));
    }

    [Fact]
    public async Task Open_removes_leftover_temporary_and_deleted_files_and_reports_them()
    {
        var fs = new CrashSimFileSystem(1);
        var machine = new KeyValueMachine();
        await using (var store = Open(fs, machine))
        {
            await AppendAsync(store, machine, KeyValueOp.Random(new Random(1), 1, 5));
        }

        string[] leftovers =
        [
            "/data/CURRENT.tmp",
            "/data/snapshot-00000000000000000007.bin.tmp",
            "/data/wal/seg-00000000000000000009.log.tmp",
            "/data/wal/seg-00000000000000000001.log.deleted",
        ];
        foreach (var path in leftovers)
        {
            fs.WriteAllBytes(path, new byte[] { 1, 2, 3 });
        }

        fs.WriteAllBytes("/data/snapshot-00000000000000000003.bin", new byte[] { 4 });

        var recovered = new KeyValueMachine();
        await using var reopened = Open(fs, recovered);

        Assert.Equal(leftovers.Order(StringComparer.Ordinal), reopened.Recovery.RemovedLeftovers.Order(StringComparer.Ordinal));
        Assert.Equal(["/data/snapshot-00000000000000000003.bin"], reopened.Recovery.RemovedStaleSnapshots);
        Assert.All(leftovers, path => Assert.False(fs.FileExists(path)));
        AssertSameState(machine, recovered);
    }

    [Fact]
    public async Task Open_of_a_locked_directory_fails_with_a_clear_message_until_the_holder_closes()
    {
        var fs = new CrashSimFileSystem(1);
        var first = Open(fs, new KeyValueMachine());

        var error = Assert.Throws<DataDirectoryLockedException>(() => Open(fs, new KeyValueMachine()));

        Assert.Equal("data directory /data is in use by another Theodore process", error.Message);
        await first.DisposeAsync();
        await using var second = Open(fs, new KeyValueMachine());
    }

    [Fact]
    public async Task Open_with_a_manifest_from_a_newer_build_is_refused()
    {
        var fs = new CrashSimFileSystem(1);
        var machine = new KeyValueMachine();
        await using (var store = Open(fs, machine))
        {
            await AppendAsync(store, machine, KeyValueOp.Random(new Random(1), 1, 5));
            await CheckpointAsync(store, machine);
        }

        var image = fs.ReadAllBytes("/data/CURRENT");
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(8), 3);
        fs.WriteAllBytes("/data/CURRENT", image);

        var error = Assert.Throws<UnsupportedFormatVersionException>(() => Open(fs, new KeyValueMachine()));

        Assert.Contains("format version 3; this build reads up to 1", error.Message, StringComparison.Ordinal);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(8), 1);
        fs.WriteAllBytes("/data/CURRENT", image);
        var recovered = new KeyValueMachine();
        await using var again = Open(fs, recovered);
        AssertSameState(machine, recovered);
    }

    [Fact]
    public async Task Open_with_a_manifest_naming_a_missing_snapshot_throws_corrupt_data()
    {
        var fs = new CrashSimFileSystem(1);
        var machine = new KeyValueMachine();
        await using (var store = Open(fs, machine))
        {
            await AppendAsync(store, machine, KeyValueOp.Random(new Random(1), 1, 5));
            await CheckpointAsync(store, machine);
        }

        fs.DeleteFile("/data/snapshot-00000000000000000001.bin");

        var error = Assert.Throws<CorruptDataException>(() => Open(fs, new KeyValueMachine()));

        Assert.Equal("/data/CURRENT", error.FilePath);
    }

    [Fact]
    public async Task AppendAsync_after_a_flush_failure_is_refused_and_the_store_reports_unhealthy()
    {
        var fs = new CrashSimFileSystem(1);
        var machine = new KeyValueMachine();
        await using var store = Open(fs, machine);
        fs.FailFlushAt = fs.FlushCount + 1;

        await Assert.ThrowsAsync<DurabilityFailedException>(() => store.AppendAsync(1, new byte[] { 1, 0, 0, 0, 0 }));

        Assert.True(store.IsFailed);
        Assert.NotNull(store.FailureReason);
        await Assert.ThrowsAsync<DurabilityFailedException>(() => store.AppendAsync(1, new byte[] { 2, 0, 0, 0, 0 }));
        await Assert.ThrowsAsync<DurabilityFailedException>(() => CheckpointAsync(store, machine));
    }

    [Fact]
    public async Task None_mode_touches_no_files_and_needs_no_lock()
    {
        var fs = new CrashSimFileSystem(1);
        await using var first = DurableStore.Open(fs, Options(DurabilityMode.None));
        await using var second = DurableStore.Open(fs, Options(DurabilityMode.None));

        Assert.Equal(1, await first.AppendAsync(1, new byte[] { 1 }));
        Assert.False(await first.CheckpointAsync(1, ReadOnlyMemory<byte>.Empty, (_, _) => ValueTask.CompletedTask));
        Assert.Equal(0, fs.WriteCount);
        Assert.False(fs.FileExists("/data/CURRENT"));
    }

    [Fact]
    public async Task CheckpointAsync_interrupted_before_the_manifest_is_in_place_recovers_from_the_old_snapshot_and_log()
    {
        var fs = new CrashSimFileSystem(1);
        var machine = new KeyValueMachine();
        var random = new Random(8);
        var store = Open(fs, machine);
        for (var i = 0; i < 30; i++)
        {
            await AppendAsync(store, machine, KeyValueOp.Random(random, i, 10));
        }

        await CheckpointAsync(store, machine);
        for (var i = 30; i < 60; i++)
        {
            await AppendAsync(store, machine, KeyValueOp.Random(random, i, 10));
        }

        // Crash at the rename of CURRENT.tmp: snapshot flush, its rename, its directory sync and the manifest flush come first.
        fs.CrashAtPoint = fs.CrashPointCount + 5;
        await Assert.ThrowsAsync<DurabilityFailedException>(() => CheckpointAsync(store, machine));
        await store.DisposeAsync();

        var recovered = new KeyValueMachine();
        await using var reopened = Open(fs.SimulatePowerLoss(), recovered);

        Assert.Equal(30, reopened.CheckpointLsn);
        Assert.Equal(["/data/snapshot-00000000000000000060.bin"], reopened.Recovery.RemovedStaleSnapshots);
        AssertSameState(machine, recovered);
    }

    [Fact]
    public async Task CheckpointAsync_while_appends_continue_keeps_the_log_contiguous_from_the_snapshot_on()
    {
        var fs = new CrashSimFileSystem(1);
        var store = DurableStore.Open(fs, Options() with { SegmentSize = 300 });
        var checkpoints = 0;
        var appended = 0;
        var writer = Task.Run(async () =>
        {
            // Keeps appending until several checkpoints have overlapped with it.
            for (var i = 1; i <= 600 || Volatile.Read(ref checkpoints) < 3; i++)
            {
                Assert.Equal(i, await store.AppendAsync(1, BitConverter.GetBytes(i)));
                appended = i;
            }
        });
        while (!writer.IsCompleted)
        {
            var lsn = store.LastDurableLsn;
            var image = BitConverter.GetBytes(lsn);
            if (await store.CheckpointAsync(lsn, ReadOnlyMemory<byte>.Empty, (w, _) => { w.WriteSection("lsn", image); return ValueTask.CompletedTask; }))
            {
                Interlocked.Increment(ref checkpoints);
            }

            await Task.Yield();
        }

        await writer;
        await store.DisposeAsync();

        var replayed = new List<WalRecord>();
        long restored = -1;
        await using var reopened = DurableStore.Open(
            fs.SimulatePowerLoss(),
            Options(),
            snapshot => restored = BitConverter.ToInt64(snapshot.ReadSection("lsn")),
            replayed.Add);

        Assert.Equal(reopened.CheckpointLsn, restored);
        Assert.True(restored > 0);
        Assert.Equal(Enumerable.Range((int)restored + 1, appended - (int)restored).Select(i => (long)i), replayed.Select(r => r.Lsn));
        Assert.All(replayed, r => Assert.Equal(r.Lsn, BitConverter.ToInt32(r.Payload.Span)));
    }
}
