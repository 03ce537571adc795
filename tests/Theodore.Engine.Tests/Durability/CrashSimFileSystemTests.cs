using Theodore.Engine.Durability;

namespace Theodore.Engine.Tests.Durability;

/// <summary>The promises the power-loss runs rely on: what is flushed survives intact, what is not may go.</summary>
public sealed class CrashSimFileSystemTests
{
    private const string Directory = "/d";

    private static CrashSimFileSystem NewFileSystem(int seed)
    {
        var fs = new CrashSimFileSystem(seed);
        fs.CreateDirectory(Directory);
        return fs;
    }

    [Fact]
    public void SimulatePowerLoss_keeps_flushed_bytes_of_a_synced_file_intact_whatever_happens_to_later_writes()
    {
        var outcomes = new HashSet<string>(StringComparer.Ordinal);
        for (var seed = 0; seed < 300; seed++)
        {
            var fs = NewFileSystem(seed);
            using (var file = fs.OpenFile("/d/f", DurableFileMode.Create))
            {
                file.Write(0, new byte[700]);
                file.Flush();
                fs.SyncDirectory(Directory);
                file.Write(700, Enumerable.Repeat((byte)7, 5000).ToArray());
            }

            var after = fs.SimulatePowerLoss().ReadAllBytes("/d/f");

            Assert.True(after.Length >= 700);
            Assert.All(after.AsSpan(0, 700).ToArray(), b => Assert.Equal(0, b));
            var tail = after.AsSpan(700).ToArray();
            outcomes.Add(tail.Length == 0 ? "dropped" : tail.All(b => b == 7) && tail.Length == 5000 ? "kept" : "torn");
        }

        Assert.Equal(["dropped", "kept", "torn"], outcomes.Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    [Fact]
    public void SimulatePowerLoss_can_lose_a_created_or_renamed_file_until_its_directory_is_synced()
    {
        var lost = 0;
        for (var seed = 0; seed < 100; seed++)
        {
            var fs = NewFileSystem(seed);
            using (var file = fs.OpenFile("/d/a.tmp", DurableFileMode.Create))
            {
                file.Write(0, "x"u8);
                file.Flush();
            }

            fs.Rename("/d/a.tmp", "/d/a");

            var after = fs.SimulatePowerLoss();

            lost += after.FileExists("/d/a") ? 0 : 1;
        }

        Assert.InRange(lost, 1, 99);
    }

    [Fact]
    public void SimulatePowerLoss_after_a_directory_sync_keeps_the_rename()
    {
        for (var seed = 0; seed < 50; seed++)
        {
            var fs = NewFileSystem(seed);
            using (var file = fs.OpenFile("/d/a.tmp", DurableFileMode.Create))
            {
                file.Write(0, "x"u8);
                file.Flush();
            }

            fs.Rename("/d/a.tmp", "/d/a");
            fs.SyncDirectory(Directory);

            var after = fs.SimulatePowerLoss();

            Assert.Equal(["a"], after.ListFiles(Directory), StringComparer.Ordinal);
            Assert.Equal("x"u8.ToArray(), after.ReadAllBytes("/d/a"));
        }
    }

    [Fact]
    public void CrashAtPoint_stops_the_machine_before_the_operation_and_every_later_call_fails()
    {
        var fs = NewFileSystem(1);
        fs.CrashAtPoint = 2;
        using var file = fs.OpenFile("/d/f", DurableFileMode.Create);
        file.Write(0, "abc"u8);
        file.Flush();

        Assert.Throws<SimulatedCrashException>(() => fs.SyncDirectory(Directory));
        Assert.Throws<SimulatedCrashException>(() => file.Write(3, "d"u8));
        Assert.Throws<SimulatedCrashException>(() => fs.ListFiles(Directory));
        Assert.True(fs.HasCrashed);
    }

    [Fact]
    public void SimulateProcessKill_keeps_everything_written_even_unflushed()
    {
        var fs = NewFileSystem(1);
        using (var file = fs.OpenFile("/d/f", DurableFileMode.Create))
        {
            file.Write(0, "abc"u8);
        }

        Assert.Equal("abc"u8.ToArray(), fs.SimulateProcessKill().ReadAllBytes("/d/f"));
    }

    [Fact]
    public void LockDirectory_second_holder_is_refused_until_the_first_releases()
    {
        var fs = NewFileSystem(1);
        var first = fs.LockDirectory(Directory);

        Assert.Throws<DataDirectoryLockedException>(() => fs.LockDirectory(Directory));
        first.Dispose();
        fs.LockDirectory(Directory).Dispose();
    }
}
