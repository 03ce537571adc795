using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Engine.Durability;
using static Theodore.Adapters.Native.Tests.Durability.DurableTestData;

namespace Theodore.Adapters.Native.Tests.Durability;

public sealed class DurableStorageTests
{
    private static readonly IndexName Cosine = IndexName.Parse("cosine");
    private static readonly IndexName Euclid = IndexName.Parse("euclid");
    private static readonly Namespace Other = Namespace.Parse("other");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Reopen_after_writes_returns_every_record_byte_equal(bool checkpointHalfway)
    {
        var directory = new TempDataDirectory();
        try
        {
            Dictionary<string, VectorRecord> cosineBefore, euclidBefore, otherBefore;
            IndexInfo cosineInfo;
            IndexStats statsBefore;
            await using (var storage = await directory.OpenAsync())
            {
                cosineInfo = await storage.CreateIndexAsync(new IndexDefinition(Cosine, 16, DistanceMetric.Cosine, new EmbeddingContract("m", "1", normalize: false), new HnswOptions(8, 64)));
                await storage.CreateIndexAsync(new IndexDefinition(Euclid, 8, DistanceMetric.Euclidean));
                await storage.CreateIndexAsync(new IndexDefinition(IndexName.Parse("empty"), 3, DistanceMetric.DotProduct));
                var metadata = Metadata.Create([new("name", "acme"), new("size", 12.5), new("public", true), new("tags", MetadataValue.FromStrings(["a", "b"]))]);
                var batch = Enumerable.Range(0, 300).Select(i => Record($"c{i}", i, 16, i % 2 == 0 ? metadata : null)).ToList();
                await storage.UpsertManyAsync(Cosine, batch);
                if (checkpointHalfway)
                {
                    Assert.True(await storage.CheckpointAsync() >= 1);
                }

                await storage.UpsertAsync(Cosine, Record("c5", 999, 16, metadata));
                await storage.DeleteAsync(Cosine, VectorId.Parse("c7"));
                await storage.DeleteManyAsync(Cosine, [VectorId.Parse("c8"), VectorId.Parse("missing")]);
                Assert.Equal(150, await storage.DeleteByFilterAsync(Cosine, Filter.Eq("name", "acme")));
                await storage.UpsertManyAsync(Euclid, Enumerable.Range(0, 50).Select(i => Record($"e{i}", i, 8)).ToList());
                await storage.UpsertManyAsync(Euclid, Enumerable.Range(0, 20).Select(i => Record($"o{i}", i, 8)).ToList(), Other);
                await storage.UpsertManyAsync(Euclid, Enumerable.Range(0, 20).Select(i => Record($"x{i}", i, 8)).ToList(), Namespace.Parse("gone"));
                Assert.Equal(20, await storage.DeleteAllAsync(Euclid, Namespace.Parse("gone")));
                cosineBefore = await ReadAllAsync(storage, Cosine);
                euclidBefore = await ReadAllAsync(storage, Euclid);
                otherBefore = await ReadAllAsync(storage, Euclid, Other);
                statsBefore = await storage.GetStatsAsync(Euclid);
            }

            await using (var reopened = await directory.OpenAsync())
            {
                AssertSameRecords(cosineBefore, await ReadAllAsync(reopened, Cosine));
                AssertSameRecords(euclidBefore, await ReadAllAsync(reopened, Euclid));
                AssertSameRecords(otherBefore, await ReadAllAsync(reopened, Euclid, Other));
                Assert.Empty(await ReadAllAsync(reopened, Euclid, Namespace.Parse("gone")));
                var info = await reopened.DescribeIndexAsync(Cosine);
                Assert.Equal(cosineInfo.Definition, info.Definition);
                Assert.Equal(cosineInfo.CreatedAt, info.CreatedAt);
                Assert.Equal(0, (await reopened.DescribeIndexAsync(IndexName.Parse("empty"))).VectorCount);
                var stats = await reopened.GetStatsAsync(Euclid);
                Assert.Equal(statsBefore.Namespaces, stats.Namespaces);
                Assert.Equal(statsBefore.UpdatedAt, stats.UpdatedAt);
                var hit = await reopened.SearchAsync(Euclid, Vector(3, 8), new SearchOptions { TopK = 1 });
                Assert.Equal("e3", hit.Matches[0].Id.Value);
            }
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Reopen_after_a_deleted_index_does_not_bring_it_back()
    {
        var directory = new TempDataDirectory();
        try
        {
            await using (var storage = await directory.OpenAsync())
            {
                await storage.CreateIndexAsync(new IndexDefinition(Euclid, 4, DistanceMetric.Euclidean));
                await storage.UpsertAsync(Euclid, Record("a", 1, 4));
                await storage.DeleteIndexAsync(Euclid);
                await storage.CreateIndexAsync(new IndexDefinition(Euclid, 2, DistanceMetric.Manhattan));
            }

            await using var reopened = await directory.OpenAsync();
            var info = await reopened.DescribeIndexAsync(Euclid);
            Assert.Equal(2, info.Definition.Dimension);
            Assert.Equal(0, info.VectorCount);
            Assert.DoesNotContain(Directory.EnumerateDirectories(Path.Combine(directory.Path, "indexes")), d => d.EndsWith(".deleted", StringComparison.Ordinal));
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Open_of_a_data_path_in_use_fails_with_a_clear_message()
    {
        var directory = new TempDataDirectory();
        try
        {
            await using var first = await directory.OpenAsync();
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => directory.OpenAsync());
            Assert.Contains("in use by another Theodore process", error.Message, StringComparison.Ordinal);
            Assert.Contains(directory.Path, error.Message, StringComparison.Ordinal);
            await first.CreateIndexAsync(new IndexDefinition(Euclid, 2, DistanceMetric.Euclidean));
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Upsert_after_an_fsync_failure_is_refused_and_health_says_why()
    {
        var fs = new CrashSimFileSystem(1);
        await using var storage = await NativeVectorStorage.OpenAsync(SimOptions(), null, fs);
        await storage.CreateIndexAsync(new IndexDefinition(Euclid, 4, DistanceMetric.Euclidean));
        await storage.UpsertAsync(Euclid, Record("kept", 1, 4));
        fs.FailFlushAt = fs.FlushCount + 1;

        var failed = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.UpsertAsync(Euclid, Record("lost", 2, 4)).AsTask());
        var refused = await Assert.ThrowsAsync<StorageUnavailableException>(() => storage.UpsertAsync(Euclid, Record("later", 3, 4)).AsTask());
        var health = await storage.CheckHealthAsync();

        Assert.Contains("writes are stopped: the write-ahead log could not be made durable", failed.Message, StringComparison.Ordinal);
        Assert.Contains("writes are stopped", refused.Message, StringComparison.Ordinal);
        Assert.True(refused.IsTransient);
        Assert.Equal(HealthStatus.Unhealthy, health.Status);
        Assert.Contains("fsync failure", health.Description, StringComparison.Ordinal);
        Assert.NotNull(await storage.GetAsync(Euclid, VectorId.Parse("kept")));
        Assert.Null(await storage.GetAsync(Euclid, VectorId.Parse("lost")));
    }

    [Fact]
    public async Task Upsert_on_a_full_disk_is_capacity_exceeded_and_reads_still_work()
    {
        var fs = new CrashSimFileSystem(2);
        await using (var storage = await NativeVectorStorage.OpenAsync(SimOptions(), null, fs))
        {
            await storage.CreateIndexAsync(new IndexDefinition(Euclid, 4, DistanceMetric.Euclidean));
            await storage.UpsertAsync(Euclid, Record("kept", 1, 4));
            fs.DiskFullAtWrite = fs.WriteCount + 1;

            var error = await Assert.ThrowsAsync<CapacityExceededException>(() => storage.UpsertManyAsync(Euclid, [Record("lost", 2, 4)]).AsTask());
            Assert.Equal(ErrorCodes.CapacityExceeded, error.Code);
            Assert.NotNull(await storage.GetAsync(Euclid, VectorId.Parse("kept")));
            Assert.Null(await storage.GetAsync(Euclid, VectorId.Parse("lost")));
            Assert.Single((await storage.SearchAsync(Euclid, Vector(1, 4), new SearchOptions { TopK = 5 })).Matches);
            Assert.Equal(HealthStatus.Healthy, (await storage.CheckHealthAsync()).Status);

            fs.DiskFullAtWrite = long.MaxValue;
            await storage.UpsertAsync(Euclid, Record("after", 3, 4));
        }

        await using var reopened = await NativeVectorStorage.OpenAsync(SimOptions(), null, fs.SimulateProcessKill());
        Assert.Equal<string>(["after", "kept"], [.. (await ReadAllAsync(reopened, Euclid)).Keys.Order(StringComparer.Ordinal)], StringComparer.Ordinal);
    }

    [Fact]
    public async Task Open_removes_leftover_temporary_and_deleted_files_and_unfinished_indexes()
    {
        var directory = new TempDataDirectory();
        try
        {
            await using (var storage = await directory.OpenAsync())
            {
                await storage.CreateIndexAsync(new IndexDefinition(Euclid, 4, DistanceMetric.Euclidean));
                await storage.UpsertAsync(Euclid, Record("a", 1, 4));
            }

            var indexes = Path.Combine(directory.Path, "indexes");
            var leftovers = new[]
            {
                Path.Combine(indexes, "euclid", "snapshot-00000000000000000009.bin.tmp"),
                Path.Combine(indexes, "euclid", "CURRENT.tmp"),
                Path.Combine(indexes, "euclid", "wal", "old.log.deleted"),
                Path.Combine(indexes, "dropped.deleted", "wal", "x.log"),
                Path.Combine(indexes, "half-made", "wal", "nothing.tmp"),
            };
            foreach (var file in leftovers)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                await File.WriteAllBytesAsync(file, [1, 2, 3]);
            }

            await using var reopened = await directory.OpenAsync();

            Assert.All(leftovers, file => Assert.False(File.Exists(file), $"{file} was left"));
            Assert.False(Directory.Exists(Path.Combine(indexes, "dropped.deleted")));
            Assert.False(Directory.Exists(Path.Combine(indexes, "half-made")));
            Assert.Equal<string>(["a"], [.. (await ReadAllAsync(reopened, Euclid)).Keys], StringComparer.Ordinal);
            Assert.Single(await reopened.ListIndexesAsync());
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Open_with_corruption_in_a_non_final_log_segment_fails_naming_the_file()
    {
        var directory = new TempDataDirectory();
        try
        {
            // 1 MiB before a snapshot means 512 KiB segments: about 700 KiB of records fill two, with no snapshot yet.
            var options = directory.Options(snapshotWalBytes: 1024 * 1024);
            await using (var storage = await NativeVectorStorage.OpenAsync(options))
            {
                await storage.CreateIndexAsync(new IndexDefinition(Euclid, 512, DistanceMetric.Euclidean));
                for (var batch = 0; batch < 7; batch++)
                {
                    await storage.UpsertManyAsync(Euclid, Enumerable.Range(0, 50).Select(i => Record($"r{batch}-{i}", (batch * 100) + i, 512)).ToList());
                }
            }

            var wal = Path.Combine(directory.Path, "indexes", "euclid", "wal");
            var segments = Directory.GetFiles(wal).Order(StringComparer.Ordinal).ToArray();
            Assert.True(segments.Length >= 2, $"expected two segments, found {segments.Length}");
            await using (var file = new FileStream(segments[0], FileMode.Open, FileAccess.ReadWrite))
            {
                file.Position = 100_000;
                var b = file.ReadByte();
                file.Position = 100_000;
                file.WriteByte((byte)(b ^ 0x40));
            }

            var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await NativeVectorStorage.OpenAsync(options));

            Assert.Contains(segments[0], error.Message, StringComparison.Ordinal);
            Assert.IsType<CorruptDataException>(error.InnerException);

            // The refused start released the lock: after repair (here: removing the index) the directory opens again.
            Directory.Delete(Path.Combine(directory.Path, "indexes", "euclid"), recursive: true);
            await using var repaired = await NativeVectorStorage.OpenAsync(options);
            Assert.Empty(await repaired.ListIndexesAsync());
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Writes_past_the_snapshot_threshold_take_a_snapshot_in_the_background()
    {
        var directory = new TempDataDirectory();
        try
        {
            var options = directory.Options(snapshotWalBytes: 64 * 1024);
            Dictionary<string, VectorRecord> before;
            await using (var storage = await NativeVectorStorage.OpenAsync(options))
            {
                await storage.CreateIndexAsync(new IndexDefinition(Euclid, 64, DistanceMetric.Euclidean));
                for (var batch = 0; batch < 10; batch++)
                {
                    await storage.UpsertManyAsync(Euclid, Enumerable.Range(0, 40).Select(i => Record($"r{batch}-{i}", (batch * 100) + i, 64)).ToList());
                }

                var index = Path.Combine(directory.Path, "indexes", "euclid");
                // ends when the snapshot appears; the deadline is a hang guard, generous for a busy runner
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (!File.Exists(Path.Combine(index, "CURRENT")) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(20);
                }

                Assert.True(File.Exists(Path.Combine(index, "CURRENT")), "no snapshot was taken");
                await storage.UpsertAsync(Euclid, Record("tail", 1, 64));
                before = await ReadAllAsync(storage, Euclid);
            }

            await using var reopened = await NativeVectorStorage.OpenAsync(options);
            AssertSameRecords(before, await ReadAllAsync(reopened, Euclid));
        }
        finally
        {
            directory.Delete();
        }
    }

    [Fact]
    public async Task Batched_mode_keeps_acknowledged_writes_when_the_process_is_killed()
    {
        var fs = new CrashSimFileSystem(3);
        var options = SimOptions();
        options.Durability = DurabilityMode.Batched;
        options.BatchedIntervalMs = 60_000;
        var storage = await NativeVectorStorage.OpenAsync(options, null, fs);
        await storage.CreateIndexAsync(new IndexDefinition(Euclid, 4, DistanceMetric.Euclidean));
        await storage.UpsertManyAsync(Euclid, Enumerable.Range(0, 30).Select(i => Record($"r{i}", i, 4)).ToList());
        Assert.True(await storage.DeleteAsync(Euclid, VectorId.Parse("r3")));
        var before = await ReadAllAsync(storage, Euclid);

        // Killed, not powered off: what reached the OS survives even though the minute-long sync never ran.
        await using var recovered = await NativeVectorStorage.OpenAsync(SimOptions(), null, fs.SimulateProcessKill());

        AssertSameRecords(before, await ReadAllAsync(recovered, Euclid));
        Assert.Equal(29, before.Count);
    }

    [Fact]
    public async Task None_mode_writes_no_files()
    {
        var directory = new TempDataDirectory();
        try
        {
            await using (var storage = await directory.OpenAsync(DurabilityMode.None))
            {
                await storage.CreateIndexAsync(new IndexDefinition(Euclid, 2, DistanceMetric.Euclidean));
                await storage.UpsertAsync(Euclid, Record("a", 1, 2));
            }

            Assert.Empty(Directory.EnumerateFileSystemEntries(directory.Path));
        }
        finally
        {
            directory.Delete();
        }
    }

    internal static NativeOptions SimOptions(long snapshotWalBytes = 64L * 1024 * 1024) =>
        new() { DataPath = "/data", Durability = DurabilityMode.Sync, SnapshotWalBytes = snapshotWalBytes };
}
