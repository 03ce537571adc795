using System.Buffers.Binary;
using Theodore.Engine.Durability;

namespace Theodore.Engine.Tests.Durability;

public sealed class WriteAheadLogTests
{
    private const string Directory = "/data/wal";
    private const int HeaderSize = 40;

    private static WriteAheadLogOptions Options(DurabilityMode mode = DurabilityMode.Sync, long segmentSize = 1 << 20) =>
        new() { Directory = Directory, Mode = mode, SegmentSize = segmentSize, BatchInterval = TimeSpan.FromMilliseconds(5) };

    private static byte[] Payload(int index, int length = 40)
    {
        var payload = new byte[length];
        new Random(index).NextBytes(payload);
        return payload;
    }

    private static long RecordSize(int payloadLength) => (17 + payloadLength + 7) & ~7L;

    private static async Task<CrashSimFileSystem> WriteLogAsync(int records, long segmentSize = 1 << 20, int seed = 1, int payloadLength = 40)
    {
        var fs = new CrashSimFileSystem(seed);
        await using var wal = WriteAheadLog.Open(fs, Options(segmentSize: segmentSize));
        for (var i = 1; i <= records; i++)
        {
            Assert.Equal(i, await wal.AppendAsync((byte)(i % 7), Payload(i, payloadLength)));
        }

        return fs;
    }

    private static List<WalRecord> Recover(IDurableFileSystem fs, out WalRecoveryResult result, long after = 0)
    {
        var records = new List<WalRecord>();
        result = WalRecovery.Run(fs, Directory, WriteAheadLogOptions.DefaultMaxRecordLength, after, records.Add);
        return records;
    }

    private static string OnlySegment(CrashSimFileSystem fs) => Path.Combine(Directory, Assert.Single(fs.ListFiles(Directory)));

    [Fact]
    public async Task AppendAsync_records_come_back_in_order_and_byte_equal_after_reopen()
    {
        var fs = await WriteLogAsync(50, segmentSize: 512);

        var records = Recover(fs.SimulatePowerLoss(), out var result);

        Assert.Equal(50, records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(i + 1, records[i].Lsn);
            Assert.Equal((byte)((i + 1) % 7), records[i].Type);
            Assert.Equal(Payload(i + 1), records[i].Payload.ToArray());
        }

        Assert.True(result.Segments.Count > 3);
        Assert.Null(result.TornTailFile);
    }

    [Fact]
    public async Task Open_after_recovery_continues_the_lsn_sequence_and_replays_only_after_the_given_lsn()
    {
        var fs = await WriteLogAsync(10);
        var replayed = new List<WalRecord>();

        await using (var wal = WriteAheadLog.Open(fs, Options(), replayAfterLsn: 6, replay: replayed.Add))
        {
            Assert.Equal([7L, 8, 9, 10], replayed.Select(r => r.Lsn));
            Assert.Equal(11, await wal.AppendAsync(1, Payload(11)));
        }

        Assert.Equal(11, Recover(fs, out _).Count);
    }

    [Fact]
    public async Task AppendAsync_payload_over_the_cap_is_refused_before_it_is_queued()
    {
        var fs = new CrashSimFileSystem(1);
        await using var wal = WriteAheadLog.Open(fs, Options() with { MaxRecordLength = 100 });

        Assert.Throws<ArgumentOutOfRangeException>(() => { _ = wal.AppendAsync(1, new byte[101]); });
        Assert.Equal(1, await wal.AppendAsync(1, new byte[100]));
    }

    [Fact]
    public async Task Recovery_truncated_at_every_offset_inside_the_last_three_records_keeps_exactly_the_records_before()
    {
        var source = await WriteLogAsync(12);
        var path = OnlySegment(source);
        var image = source.ReadAllBytes(path);
        var recordSize = (int)RecordSize(40);
        for (var damaged = 10; damaged <= 12; damaged++)
        {
            var start = HeaderSize + ((damaged - 1) * recordSize);
            for (var cut = start; cut < start + recordSize; cut++)
            {
                var fs = new CrashSimFileSystem(cut);
                fs.WriteAllBytes(path, image.AsSpan(0, cut));

                var records = Recover(fs, out var result);

                Assert.Equal(damaged - 1, records.Count);
                Assert.Equal(damaged - 1, records[^1].Lsn);
                Assert.Equal(cut - start, result.TornTailBytes);
                Assert.Equal(start, fs.ReadAllBytes(path).Length);
                Assert.Equal(damaged, result.NextLsn);
            }
        }
    }

    [Fact]
    public async Task Recovery_bit_flip_at_every_offset_inside_the_last_three_records_cuts_the_tail_there()
    {
        var source = await WriteLogAsync(12);
        var path = OnlySegment(source);
        var image = source.ReadAllBytes(path);
        var recordSize = (int)RecordSize(40);
        for (var damaged = 10; damaged <= 12; damaged++)
        {
            var start = HeaderSize + ((damaged - 1) * recordSize);
            for (var at = start; at < start + recordSize; at++)
            {
                var copy = (byte[])image.Clone();
                copy[at] ^= (byte)(1 << (at % 8));
                var fs = new CrashSimFileSystem(at);
                fs.WriteAllBytes(path, copy);

                var records = Recover(fs, out var result);

                Assert.Equal(damaged - 1, records.Count);
                Assert.Equal(image.Length - start, result.TornTailBytes);
                Assert.Equal(path, result.TornTailFile);
            }
        }
    }

    [Fact]
    public async Task Open_after_a_torn_tail_appends_where_the_valid_log_ends_and_reopens_cleanly()
    {
        var source = await WriteLogAsync(5);
        var path = OnlySegment(source);
        var image = source.ReadAllBytes(path);
        var fs = new CrashSimFileSystem(2);
        fs.WriteAllBytes(path, image.AsSpan(0, image.Length - 3));

        await using (var wal = WriteAheadLog.Open(fs, Options()))
        {
            Assert.Equal(RecordSize(40) - 3, wal.Recovery.TornTailBytes);
            Assert.Equal(5, await wal.AppendAsync(9, Payload(99)));
        }

        var records = Recover(fs.SimulatePowerLoss(), out var result);
        Assert.Equal(5, records.Count);
        Assert.Equal(Payload(99), records[4].Payload.ToArray());
        Assert.Null(result.TornTailFile);
    }

    [Fact]
    public async Task Recovery_bad_record_in_a_segment_that_is_not_the_last_throws_naming_file_and_offset()
    {
        var fs = await WriteLogAsync(30, segmentSize: 400);
        var first = Path.Combine(Directory, fs.ListFiles(Directory)[0]);
        var image = fs.ReadAllBytes(first);
        var secondRecord = HeaderSize + (int)RecordSize(40);
        image[secondRecord + 20] ^= 0x10;
        fs.WriteAllBytes(first, image);

        var error = Assert.Throws<CorruptDataException>(() => Recover(fs, out _));

        Assert.Equal(first, error.FilePath);
        Assert.Equal(secondRecord, error.Offset);
        Assert.Contains(first, error.Message, StringComparison.Ordinal);
        Assert.Contains($"offset {secondRecord}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recovery_missing_middle_segment_is_a_gap_and_throws()
    {
        var fs = await WriteLogAsync(30, segmentSize: 400);
        var names = fs.ListFiles(Directory);
        Assert.True(names.Count >= 3);
        fs.DeleteFile(Path.Combine(Directory, names[1]));

        var error = Assert.Throws<CorruptDataException>(() => Recover(fs, out _));

        Assert.Equal(Path.Combine(Directory, names[2]), error.FilePath);
    }

    [Fact]
    public async Task Recovery_damaged_header_of_the_last_segment_throws_instead_of_dropping_the_segment()
    {
        var fs = await WriteLogAsync(5);
        var path = OnlySegment(fs);
        var image = fs.ReadAllBytes(path);
        image[25] ^= 1;
        fs.WriteAllBytes(path, image);

        var error = Assert.Throws<CorruptDataException>(() => Recover(fs, out _));

        Assert.Equal(path, error.FilePath);
        Assert.Equal(32, error.Offset);
    }

    [Fact]
    public async Task Recovery_newer_segment_version_is_refused_with_both_versions_named()
    {
        var fs = await WriteLogAsync(2);
        var path = OnlySegment(fs);
        var image = fs.ReadAllBytes(path);
        BinaryPrimitives.WriteUInt16LittleEndian(image.AsSpan(8), 7);
        fs.WriteAllBytes(path, image);

        var error = Assert.Throws<UnsupportedFormatVersionException>(() => Recover(fs, out _));

        Assert.Contains("written by a newer Theodore, format version 7; this build reads up to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Recovery_reused_file_with_a_new_salt_ignores_the_stale_records_behind_the_new_ones()
    {
        // Same records, same LSNs, same sizes: only the salts differ, so the stale tail must fail the chained CRC.
        var old = await WriteLogAsync(10, seed: 1);
        var fresh = await WriteLogAsync(4, seed: 2);
        var path = OnlySegment(old);
        var stale = old.ReadAllBytes(path);
        var overwrite = fresh.ReadAllBytes(path);
        Assert.NotEqual(stale.AsSpan(28, 4).ToArray(), overwrite.AsSpan(28, 4).ToArray());
        overwrite.CopyTo(stale, 0);
        var fs = new CrashSimFileSystem(3);
        fs.WriteAllBytes(path, stale);

        var records = Recover(fs, out var result);

        Assert.Equal([1L, 2, 3, 4], records.Select(r => r.Lsn));
        Assert.Equal(stale.Length - overwrite.Length, result.TornTailBytes);
    }

    [Fact]
    public async Task Flush_failure_is_fatal_every_later_append_throws_and_health_says_why()
    {
        var fs = new CrashSimFileSystem(1);
        await using var wal = WriteAheadLog.Open(fs, Options());
        Assert.Equal(1, await wal.AppendAsync(1, Payload(1)));
        fs.FailFlushAt = fs.FlushCount + 1;

        await Assert.ThrowsAsync<DurabilityFailedException>(() => wal.AppendAsync(1, Payload(2)));

        Assert.True(wal.IsFailed);
        Assert.Contains("fsync", wal.FailureReason, StringComparison.Ordinal);
        var later = await Assert.ThrowsAsync<DurabilityFailedException>(() => wal.AppendAsync(1, Payload(3)));
        Assert.IsType<IOException>(later.InnerException);
        await Assert.ThrowsAsync<DurabilityFailedException>(() => wal.FlushAsync());
        Assert.Equal(1, wal.LastDurableLsn);
    }

    [Fact]
    public async Task AppendAsync_on_a_full_disk_throws_disk_full_and_the_log_stays_usable_and_readable()
    {
        var fs = new CrashSimFileSystem(1);
        await using (var wal = WriteAheadLog.Open(fs, Options()))
        {
            for (var i = 1; i <= 3; i++)
            {
                await wal.AppendAsync(1, Payload(i));
            }

            fs.DiskFullAtWrite = fs.WriteCount + 1;
            await Assert.ThrowsAsync<DiskFullException>(() => wal.AppendAsync(1, Payload(100)));
            Assert.False(wal.IsFailed);

            fs.DiskFullAtWrite = long.MaxValue;
            Assert.Equal(4, await wal.AppendAsync(1, Payload(4)));
        }

        var records = Recover(fs.SimulatePowerLoss(), out var result);
        Assert.Equal([1L, 2, 3, 4], records.Select(r => r.Lsn));
        Assert.Equal(Payload(4), records[3].Payload.ToArray());
        Assert.Null(result.TornTailFile);
    }

    [Fact]
    public async Task AppendAsync_concurrent_appenders_share_flushes()
    {
        var fs = new CrashSimFileSystem(1) { OnFlush = () => Thread.Sleep(2) };
        await using var wal = WriteAheadLog.Open(fs, Options());
        var before = fs.FlushCount;

        var lsns = await Task.WhenAll(Enumerable.Range(1, 200).Select(i => Task.Run(() => wal.AppendAsync(1, Payload(i)))));

        var flushes = fs.FlushCount - before;
        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), lsns.Order());
        Assert.InRange(flushes, 1, 40);
        Assert.Equal(200, wal.LastDurableLsn);
    }

    [Fact]
    public async Task AppendAsync_in_sync_mode_completes_only_after_the_flush()
    {
        var fs = new CrashSimFileSystem(1);
        await using var wal = WriteAheadLog.Open(fs, Options());

        await wal.AppendAsync(1, Payload(1));

        // Everything acknowledged survives a power loss that drops every unflushed write.
        Assert.Single(Recover(fs.SimulatePowerLoss(), out _));
    }

    [Fact]
    public async Task FlushAsync_in_batched_mode_makes_acknowledged_records_durable()
    {
        var fs = new CrashSimFileSystem(1);
        await using var wal = WriteAheadLog.Open(fs, Options(DurabilityMode.Batched) with { BatchInterval = TimeSpan.FromHours(1) });
        var flushesBefore = fs.FlushCount;
        for (var i = 1; i <= 5; i++)
        {
            await wal.AppendAsync(1, Payload(i));
        }

        Assert.Equal(flushesBefore, fs.FlushCount);
        Assert.Equal(5, await wal.FlushAsync());
        Assert.Equal(5, Recover(fs.SimulatePowerLoss(), out _).Count);
    }

    [Fact]
    public async Task Batched_mode_flushes_on_its_interval_without_being_asked()
    {
        var fs = new CrashSimFileSystem(1);
        await using var wal = WriteAheadLog.Open(fs, Options(DurabilityMode.Batched));
        await wal.AppendAsync(1, Payload(1));

        // the loop ends as soon as the flush happens; the deadline only stops a hang, so it is generous for busy runners
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (wal.LastDurableLsn < 1 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        Assert.Equal(1, wal.LastDurableLsn);
    }

    [Fact]
    public async Task None_mode_assigns_lsns_and_writes_no_files()
    {
        var fs = new CrashSimFileSystem(1);
        await using var wal = WriteAheadLog.Open(fs, Options(DurabilityMode.None), replayAfterLsn: 41);

        Assert.Equal(42, await wal.AppendAsync(1, Payload(1)));
        Assert.Equal(43, await wal.AppendAsync(1, Payload(2)));
        Assert.Equal(0, fs.WriteCount);
        Assert.False(fs.FileExists(Path.Combine(Directory, "seg-00000000000000000042.log")));
    }

    [Fact]
    public async Task TruncateBefore_removes_only_whole_segments_below_the_lsn_and_keeps_the_log_contiguous()
    {
        var fs = new CrashSimFileSystem(1);
        await using (var wal = WriteAheadLog.Open(fs, Options(segmentSize: 300)))
        {
            for (var i = 1; i <= 40; i++)
            {
                await wal.AppendAsync(1, Payload(i));
            }

            var segments = wal.Segments;
            var cut = segments[3].FirstLsn;

            var removed = wal.TruncateBefore(cut + 1);

            Assert.Equal(3, removed);
            Assert.Equal(segments.Skip(3).Select(s => s.FileName), fs.ListFiles(Directory), StringComparer.Ordinal);
            Assert.Equal(0, wal.TruncateBefore(1));
        }

        var records = Recover(fs.SimulatePowerLoss(), out _, after: 0);
        Assert.Equal(Enumerable.Range((int)records[0].Lsn, records.Count).Select(i => (long)i), records.Select(r => r.Lsn));
        Assert.Equal(40, records[^1].Lsn);
    }

    [Fact]
    public async Task Open_when_the_log_starts_after_the_snapshot_lsn_throws_for_the_missing_records()
    {
        var fs = new CrashSimFileSystem(1);
        await using (var wal = WriteAheadLog.Open(fs, Options(segmentSize: 300)))
        {
            for (var i = 1; i <= 40; i++)
            {
                await wal.AppendAsync(1, Payload(i));
            }

            wal.TruncateBefore(30);
        }

        var error = Assert.Throws<CorruptDataException>(() => WriteAheadLog.Open(fs, Options(), replayAfterLsn: 2));

        Assert.Contains("missing", error.Message, StringComparison.Ordinal);
    }
}
