using Theodore.Adapters.Native.Backups;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Backups;
using Theodore.Core.Errors;
using Theodore.Engine.Durability;
using static Theodore.Adapters.Native.Tests.Durability.DurableTestData;

namespace Theodore.Adapters.Native.Tests.Durability;

public sealed class BackupTests : IDisposable
{
    private static readonly IndexName Companies = IndexName.Parse("companies");
    private static readonly IndexName People = IndexName.Parse("people");
    private static readonly Namespace Eu = Namespace.Parse("eu");
    private static readonly Metadata Acme = Metadata.Create([new("name", "acme"), new("size", 12.5), new("tags", MetadataValue.FromStrings(["a", "b"]))]);

    private readonly TempDataDirectory _directory = new();
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero));

    public void Dispose() => _directory.Delete();

    private string BackupsPath => Path.Combine(_directory.Path, NativeVectorStorage.BackupsDirectoryName);

    private async Task<NativeVectorStorage> OpenAsync() => await NativeVectorStorage.OpenAsync(_directory.Options(), _clock);

    private static async Task FillAsync(NativeVectorStorage storage)
    {
        await storage.CreateIndexAsync(new IndexDefinition(Companies, 8, DistanceMetric.Cosine, new EmbeddingContract("m", "1", normalize: false)));
        await storage.CreateIndexAsync(new IndexDefinition(People, 4, DistanceMetric.Euclidean));
        await storage.UpsertManyAsync(Companies, [.. Enumerable.Range(0, 60).Select(i => Record($"c{i}", i, 8, i % 3 == 0 ? Acme : null))]);
        await storage.UpsertManyAsync(Companies, [.. Enumerable.Range(0, 10).Select(i => Record($"c{i}", 100 + i, 8))], Eu);
        await storage.DeleteAsync(Companies, VectorId.Parse("c5"));
        await storage.UpsertManyAsync(People, [.. Enumerable.Range(0, 20).Select(i => Record($"p{i}", i, 4))]);
    }

    private static async Task<(Dictionary<string, VectorRecord> Default, Dictionary<string, VectorRecord> Eu, IReadOnlyList<string> Hits)> SnapshotAsync(NativeVectorStorage storage, IndexName index)
    {
        var hits = await storage.SearchAsync(index, Vector(7, 8), new SearchOptions { TopK = 5, Exact = true });
        return (await ReadAllAsync(storage, index), await ReadAllAsync(storage, index, Eu), [.. hits.Matches.Select(m => m.Id.Value)]);
    }

    private static void AssertSameIndex((Dictionary<string, VectorRecord> Default, Dictionary<string, VectorRecord> Eu, IReadOnlyList<string> Hits) expected, (Dictionary<string, VectorRecord> Default, Dictionary<string, VectorRecord> Eu, IReadOnlyList<string> Hits) actual)
    {
        AssertSameRecords(expected.Default, actual.Default);
        AssertSameRecords(expected.Eu, actual.Eu);
        Assert.Equal(expected.Hits, actual.Hits);
    }

    [Fact]
    public async Task Restore_after_the_index_is_deleted_brings_back_every_record_byte_equal_and_survives_a_restart()
    {
        BackupInfo backup;
        (Dictionary<string, VectorRecord>, Dictionary<string, VectorRecord>, IReadOnlyList<string>) before;
        await using (var storage = await OpenAsync())
        {
            await FillAsync(storage);
            before = await SnapshotAsync(storage, Companies);
            backup = await storage.CreateBackupAsync(null);
            await storage.DeleteIndexAsync(Companies);

            var restored = await storage.RestoreBackupAsync(backup.Id, Companies, target: null, replace: false);

            Assert.False(restored.Replaced);
            Assert.Equal(69, restored.Index.VectorCount);
            Assert.Equal("m", restored.Index.Definition.Embedding!.Model);
            AssertSameIndex(before, await SnapshotAsync(storage, Companies));
        }

        Assert.Equal([Companies, People], backup.Indexes.Select(i => i.Name));
        Assert.Equal(69, backup.Indexes[0].RecordCount);
        Assert.Equal(backup.Indexes.Sum(i => i.Bytes), backup.TotalBytes);
        await using var reopened = await OpenAsync();
        AssertSameIndex(before, await SnapshotAsync(reopened, Companies));
        await reopened.UpsertAsync(Companies, Record("after", 1, 8));
        Assert.Equal(70, (await reopened.DescribeIndexAsync(Companies)).VectorCount);
    }

    [Fact]
    public async Task Restore_to_a_new_name_keeps_the_source_and_the_copy_reopens_under_its_own_name()
    {
        var copy = IndexName.Parse("companies-copy");
        (Dictionary<string, VectorRecord>, Dictionary<string, VectorRecord>, IReadOnlyList<string>) before;
        await using (var storage = await OpenAsync())
        {
            await FillAsync(storage);
            before = await SnapshotAsync(storage, Companies);
            var backup = await storage.CreateBackupAsync([Companies]);
            await storage.UpsertAsync(Companies, Record("later", 1, 8));

            var restored = await storage.RestoreBackupAsync(backup.Id, Companies, copy, replace: false);

            Assert.Equal(copy, restored.Index.Definition.Name);
            Assert.Equal(backup.Indexes.Single().Lsn, restored.Lsn);
            Assert.Equal(70, (await storage.DescribeIndexAsync(Companies)).VectorCount);
        }

        await using var reopened = await OpenAsync();
        AssertSameIndex(before, await SnapshotAsync(reopened, copy));
        Assert.Equal(copy, (await reopened.DescribeIndexAsync(copy)).Definition.Name);
    }

    [Fact]
    public async Task Restore_of_an_index_without_records_gives_an_empty_index_with_the_same_definition()
    {
        await using var storage = await OpenAsync();
        var definition = new IndexDefinition(IndexName.Parse("empty"), 3, DistanceMetric.DotProduct, hnsw: new HnswOptions(8, 64));
        await storage.CreateIndexAsync(definition);
        var backup = await storage.CreateBackupAsync(null);

        var restored = await storage.RestoreBackupAsync(backup.Id, definition.Name, IndexName.Parse("empty-copy"), replace: false);

        Assert.Equal(0, restored.Index.VectorCount);
        Assert.Equal(new IndexDefinition(IndexName.Parse("empty-copy"), 3, DistanceMetric.DotProduct, hnsw: new HnswOptions(8, 64)), restored.Index.Definition);
        Assert.Equal(0, backup.Indexes.Single().RecordCount);
    }

    [Fact]
    public async Task Restore_onto_an_existing_index_needs_replace_and_then_swaps_in_the_backup()
    {
        await using var storage = await OpenAsync();
        await FillAsync(storage);
        var before = await SnapshotAsync(storage, Companies);
        var backup = await storage.CreateBackupAsync([Companies]);
        await storage.UpsertAsync(Companies, Record("later", 1, 8));
        await storage.DeleteAsync(Companies, VectorId.Parse("c1"));

        await Assert.ThrowsAsync<IndexAlreadyExistsException>(() => storage.RestoreBackupAsync(backup.Id, Companies, null, replace: false).AsTask());
        Assert.NotNull(await storage.GetAsync(Companies, VectorId.Parse("later")));

        var restored = await storage.RestoreBackupAsync(backup.Id, Companies, null, replace: true);

        Assert.True(restored.Replaced);
        AssertSameIndex(before, await SnapshotAsync(storage, Companies));
        Assert.Equal([Companies.Value, People.Value], Directory.GetDirectories(Path.Combine(_directory.Path, NativeVectorStorage.IndexesDirectoryName)).Select(Path.GetFileName).Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Backup_taken_while_a_writer_upserts_holds_exactly_the_writes_up_to_its_lsn()
    {
        await using var storage = await OpenAsync();
        await storage.CreateIndexAsync(new IndexDefinition(People, 4, DistanceMetric.Euclidean));
        var acknowledged = 0;
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                await storage.UpsertAsync(People, Record($"p{i:D6}", i, 4));
                Volatile.Write(ref acknowledged, i + 1);
            }
        });
        while (Volatile.Read(ref acknowledged) < 50)
        {
            await Task.Delay(1);
        }

        var acknowledgedBefore = Volatile.Read(ref acknowledged);
        var backup = await storage.CreateBackupAsync([People]);
        var writtenDuring = Volatile.Read(ref acknowledged);
        await stop.CancelAsync();
        await writer;
        var restored = await storage.RestoreBackupAsync(backup.Id, People, IndexName.Parse("people-at-backup"), replace: false);

        var ids = (await ReadAllAsync(storage, restored.Index.Definition.Name)).Keys.Order(StringComparer.Ordinal).ToList();
        var entry = backup.Indexes.Single();
        Assert.True(ids.Count >= acknowledgedBefore, $"{ids.Count} records, but {acknowledgedBefore} were acknowledged before the backup");
        Assert.True(ids.Count <= writtenDuring + 1, $"{ids.Count} records, but only {writtenDuring} were acknowledged when it ended");
        Assert.Equal(Enumerable.Range(0, ids.Count).Select(i => $"p{i:D6}"), ids, StringComparer.Ordinal);

        // LSN 1 is the definition and each upsert one more: the copy holds exactly the changes up to its LSN.
        Assert.Equal(entry.Lsn - 1, entry.RecordCount);
        Assert.Equal(ids.Count, entry.RecordCount);
    }

    [Fact]
    public async Task Restore_of_a_backup_with_a_flipped_byte_is_refused_naming_the_file_and_changes_nothing()
    {
        await using var storage = await OpenAsync();
        await FillAsync(storage);
        var backup = await storage.CreateBackupAsync(null);
        var snapshot = Path.Combine(BackupsPath, backup.Id.Value, People.Value, BackupManifestIndex.SnapshotFileName);
        var bytes = await File.ReadAllBytesAsync(snapshot);
        bytes[bytes.Length / 2] ^= 0x10;
        await File.WriteAllBytesAsync(snapshot, bytes);

        var error = await Assert.ThrowsAsync<BackupDamagedException>(() => storage.RestoreBackupAsync(backup.Id, People, IndexName.Parse("people-copy"), replace: false).AsTask());

        Assert.Contains(snapshot, error.Message, StringComparison.Ordinal);
        Assert.Contains("SHA-256", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<IndexNotFoundException>(() => storage.DescribeIndexAsync(IndexName.Parse("people-copy")).AsTask());
        Assert.Equal(69, (await storage.RestoreBackupAsync(backup.Id, Companies, IndexName.Parse("companies-copy"), replace: false)).Index.VectorCount);
    }

    [Fact]
    public async Task Backup_with_an_unreadable_manifest_is_listed_as_damaged_refused_by_restore_and_left_by_prune()
    {
        await using var storage = await OpenAsync();
        await FillAsync(storage);
        var damaged = await storage.CreateBackupAsync([People]);
        _clock.Now = _clock.Now.AddDays(1);
        var intact = await storage.CreateBackupAsync([People]);
        await File.WriteAllTextAsync(Path.Combine(BackupsPath, damaged.Id.Value, BackupManifest.FileName), "{ not json");

        var listed = await storage.ListBackupsAsync();
        var restore = await Assert.ThrowsAsync<BackupDamagedException>(() => storage.RestoreBackupAsync(damaged.Id, People, IndexName.Parse("people-copy"), replace: false).AsTask());
        var pruned = await storage.PruneBackupsAsync(new BackupRetention(daily: 1, weekly: 0, monthly: 0));

        Assert.Equal([damaged.Id, intact.Id], listed.Select(b => b.Id));
        Assert.False(listed[0].IsIntact);
        Assert.Contains("manifest", listed[0].Problem, StringComparison.Ordinal);
        Assert.True(listed[1].IsIntact);
        Assert.Contains("manifest", restore.Message, StringComparison.Ordinal);
        Assert.Equal([intact.Id], pruned.Kept);
        Assert.Empty(pruned.Deleted);
        Assert.Equal(2, (await storage.ListBackupsAsync()).Count);
    }

    [Fact]
    public async Task Leftover_tmp_backup_is_ignored_by_list_and_removed_by_the_next_backup()
    {
        await using var storage = await OpenAsync();
        await FillAsync(storage);
        var leftover = Path.Combine(BackupsPath, "20260101T000000000Z-abcdef.tmp");
        Directory.CreateDirectory(Path.Combine(leftover, "people"));
        await File.WriteAllTextAsync(Path.Combine(leftover, "people", "snapshot.bin"), "half");

        Assert.Empty(await storage.ListBackupsAsync());
        var backup = await storage.CreateBackupAsync([People]);

        Assert.False(Directory.Exists(leftover));
        Assert.Equal([backup.Id], (await storage.ListBackupsAsync()).Select(b => b.Id));
        Assert.Equal(backup, await storage.GetBackupAsync(backup.Id), BackupInfoComparer.Instance);
    }

    [Fact]
    public async Task Leftover_tmp_index_directory_of_an_interrupted_restore_is_removed_at_start()
    {
        await using (var storage = await OpenAsync())
        {
            await FillAsync(storage);
        }

        var leftover = Path.Combine(_directory.Path, NativeVectorStorage.IndexesDirectoryName, "people.tmp");
        Directory.CreateDirectory(Path.Combine(leftover, "wal"));

        await using var reopened = await OpenAsync();

        Assert.False(Directory.Exists(leftover));
        Assert.Equal(20, (await reopened.DescribeIndexAsync(People)).VectorCount);
    }

    [Fact]
    public async Task Delete_removes_the_backup_and_a_second_delete_or_get_finds_nothing()
    {
        await using var storage = await OpenAsync();
        await FillAsync(storage);
        var backup = await storage.CreateBackupAsync(null);

        Assert.True(await storage.DeleteBackupAsync(backup.Id));

        Assert.False(await storage.DeleteBackupAsync(backup.Id));
        Assert.Empty(await storage.ListBackupsAsync());
        Assert.False(Directory.Exists(Path.Combine(BackupsPath, backup.Id.Value)));
        await Assert.ThrowsAsync<BackupNotFoundException>(() => storage.GetBackupAsync(backup.Id).AsTask());
        await Assert.ThrowsAsync<BackupNotFoundException>(() => storage.RestoreBackupAsync(backup.Id, People, null, replace: true).AsTask());
    }

    [Fact]
    public async Task Prune_deletes_what_the_policy_does_not_keep()
    {
        await using var storage = await OpenAsync();
        await FillAsync(storage);
        var ids = new List<BackupId>();
        foreach (var days in new[] { 0, 0, 1, 9 })
        {
            _clock.Now = new DateTimeOffset(2026, 3, 4, 10, 0, 0, TimeSpan.Zero).AddDays(days).AddMinutes(ids.Count);
            ids.Add((await storage.CreateBackupAsync([People])).Id);
        }

        var result = await storage.PruneBackupsAsync(new BackupRetention(daily: 2, weekly: 0, monthly: 0));

        Assert.Equal([ids[3], ids[2]], result.Kept);
        Assert.Equal([ids[1], ids[0]], result.Deleted);
        Assert.Equal([ids[2], ids[3]], (await storage.ListBackupsAsync()).Select(b => b.Id));
    }

    [Fact]
    public async Task Restore_of_an_index_the_backup_does_not_hold_is_invalid_request_listing_what_it_holds()
    {
        await using var storage = await OpenAsync();
        await FillAsync(storage);
        var backup = await storage.CreateBackupAsync([People]);

        var error = await Assert.ThrowsAsync<InvalidRequestException>(() => storage.RestoreBackupAsync(backup.Id, Companies, null, replace: true).AsTask());

        Assert.Equal("index", error.Errors.Single().Path);
        Assert.Contains("people", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Backup_of_a_missing_index_is_index_not_found_and_writes_nothing()
    {
        await using var storage = await OpenAsync();
        await FillAsync(storage);

        await Assert.ThrowsAsync<IndexNotFoundException>(() => storage.CreateBackupAsync([People, IndexName.Parse("missing")]).AsTask());

        Assert.Empty(await storage.ListBackupsAsync());
    }

    [Fact]
    public async Task Backups_of_memory_only_storage_are_unsupported()
    {
        await using var storage = new NativeVectorStorage();

        await Assert.ThrowsAsync<UnsupportedOperationException>(() => storage.CreateBackupAsync(null).AsTask());
        await Assert.ThrowsAsync<UnsupportedOperationException>(() => storage.ListBackupsAsync().AsTask());
    }

    [Fact]
    public async Task Backup_path_option_puts_backups_outside_the_data_directory()
    {
        var elsewhere = new TempDataDirectory();
        try
        {
            var options = _directory.Options();
            options.BackupPath = elsewhere.Path;
            await using var storage = await NativeVectorStorage.OpenAsync(options, _clock);
            await FillAsync(storage);

            var backup = await storage.CreateBackupAsync([People]);

            Assert.True(File.Exists(Path.Combine(elsewhere.Path, backup.Id.Value, BackupManifest.FileName)));
            Assert.False(Directory.Exists(BackupsPath));
        }
        finally
        {
            elsewhere.Delete();
        }
    }

    private sealed class BackupInfoComparer : IEqualityComparer<BackupInfo>
    {
        public static readonly BackupInfoComparer Instance = new();

        public bool Equals(BackupInfo? x, BackupInfo? y) =>
            x is not null && y is not null && x.Id == y.Id && x.CreatedAt == y.CreatedAt && x.TotalBytes == y.TotalBytes && x.Indexes.SequenceEqual(y.Indexes);

        public int GetHashCode(BackupInfo obj) => obj.Id.GetHashCode();
    }
}
