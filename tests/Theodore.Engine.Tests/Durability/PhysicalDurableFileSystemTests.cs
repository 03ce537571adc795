using Theodore.Engine.Durability;

namespace Theodore.Engine.Tests.Durability;

public sealed class PhysicalDurableFileSystemTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "theodore-durable-" + Guid.NewGuid().ToString("N"));
    private readonly PhysicalDurableFileSystem _fs = PhysicalDurableFileSystem.Instance;

    public void Dispose()
    {
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    [Fact]
    public void File_operations_write_read_truncate_rename_list_and_sync_on_the_real_disk()
    {
        _fs.CreateDirectory(Path.Combine(_root, "a"));
        var path = Path.Combine(_root, "a", "x.tmp");
        using (var file = _fs.OpenFile(path, DurableFileMode.Create))
        {
            file.Write(0, "hello world"u8);
            file.Write(20, "!"u8);
            file.Flush();
            Assert.Equal(21, file.Length);
            file.SetLength(5);
            file.Flush();
            var buffer = new byte[10];
            Assert.Equal(5, file.Read(0, buffer));
            Assert.Equal("hello"u8.ToArray(), buffer[..5]);
        }

        var final = Path.Combine(_root, "a", "x");
        _fs.Rename(path, final);
        _fs.SyncDirectory(Path.Combine(_root, "a"));

        Assert.Equal(["x"], _fs.ListFiles(Path.Combine(_root, "a")));
        Assert.True(_fs.FileExists(final));
        _fs.DeleteFile(final);
        Assert.False(_fs.FileExists(final));
    }

    [Fact]
    public void SyncDirectory_of_a_missing_directory_throws_an_io_error()
    {
        Assert.ThrowsAny<IOException>(() => _fs.SyncDirectory(Path.Combine(_root, "missing")));
    }

    [Fact]
    public async Task Open_twice_on_one_data_directory_fails_with_the_in_use_message_and_works_after_release()
    {
        var options = new DurableStoreOptions { DataDirectory = _root };
        var first = DurableStore.Open(_fs, options);

        var error = Assert.Throws<DataDirectoryLockedException>(() => DurableStore.Open(_fs, options));

        Assert.Equal($"data directory {_root} is in use by another Theodore process", error.Message);
        await first.DisposeAsync();
        await using var second = DurableStore.Open(_fs, options);
    }

    [Fact]
    public async Task DurableStore_round_trip_on_the_real_disk_restores_state_from_snapshot_and_log()
    {
        var options = new DurableStoreOptions { DataDirectory = _root, SegmentSize = 4096 };
        var machine = new KeyValueMachine();
        var random = new Random(3);
        await using (var store = DurableStore.Open(_fs, options, machine.Restore, machine.Replay))
        {
            for (var i = 0; i < 200; i++)
            {
                var op = KeyValueOp.Random(random, i, 30);
                machine.Apply(await store.AppendAsync(op.Kind, op.Encode()), op);
                if (i == 120)
                {
                    await store.CheckpointAsync(machine.AppliedLsn, KeyValueMachine.UserHeader.ToArray(), machine.SnapshotOf());
                }
            }
        }

        var recovered = new KeyValueMachine();
        await using var reopened = DurableStore.Open(_fs, options, recovered.Restore, recovered.Replay);

        Assert.Equal(121, reopened.CheckpointLsn);
        Assert.Equal(79, recovered.Replayed.Count);
        Assert.Equal(machine.State.Keys, recovered.State.Keys);
        Assert.All(machine.State, pair => Assert.Equal(pair.Value, recovered.State[pair.Key]));
    }
}
