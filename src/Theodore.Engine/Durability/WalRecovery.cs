using System.Buffers.Binary;

namespace Theodore.Engine.Durability;

/// <summary>
/// Reads every segment of a log in order, checks it, hands the records after a given LSN to a callback and cuts off
/// the torn tail of the last segment. The tail starts at the first record that runs past the end of the file or over
/// the length cap, fails its checksum, or does not carry the next LSN; it is truncated and flushed. The same damage
/// in an earlier segment, a gap between segments or a bad header is corruption and throws
/// <see cref="CorruptDataException"/>, because dropping the middle of history silently would lose acknowledged writes.
/// </summary>
public static class WalRecovery
{
    private const int ScratchSize = 64 * 1024;

    public static WalRecoveryResult Run(
        IDurableFileSystem fileSystem,
        string directory,
        int maxRecordLength,
        long replayAfterLsn,
        Action<WalRecord>? replay)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        var segments = new List<WalSegmentInfo>();
        var names = new List<(long FirstLsn, string Name)>();
        foreach (var name in fileSystem.ListFiles(directory))
        {
            if (WalFormat.TryParseSegmentName(name, out var firstLsn))
            {
                names.Add((firstLsn, name));
            }
        }

        names.Sort((a, b) => a.FirstLsn.CompareTo(b.FirstLsn));
        if (names.Count == 0)
        {
            return new WalRecoveryResult { Segments = segments, NextLsn = 0, RecordsRead = 0, RecordsReplayed = 0 };
        }

        var state = new ScanState { ReplayAfterLsn = replayAfterLsn, Replay = replay, MaxRecordLength = maxRecordLength };
        string? previousPath = null;
        ulong previousSequence = 0;
        for (var i = 0; i < names.Count; i++)
        {
            var path = Path.Combine(directory, names[i].Name);
            var isLast = i == names.Count - 1;
            using var file = fileSystem.OpenFile(path, isLast ? DurableFileMode.Open : DurableFileMode.OpenRead);
            var header = ReadHeader(file, names[i].FirstLsn);
            if (previousPath is not null)
            {
                if (header.Sequence != previousSequence + 1)
                {
                    throw new CorruptDataException(path, 12, $"segment sequence {header.Sequence} does not follow {previousSequence} of {previousPath}");
                }

                if (header.FirstLsn != state.ExpectedLsn)
                {
                    throw new CorruptDataException(
                        path,
                        20,
                        $"the log has a gap: {previousPath} ends before LSN {state.ExpectedLsn} but this segment starts at LSN {header.FirstLsn}");
                }
            }

            state.ExpectedLsn = header.FirstLsn;
            var length = file.Length;
            var (end, problem) = ScanRecords(file, header.Salt, length, state, out var chain);
            segments.Add(new WalSegmentInfo(names[i].Name, header.Sequence, header.FirstLsn));
            if (problem is not null && !isLast)
            {
                throw new CorruptDataException(path, end, problem + " in a segment that is not the last one");
            }

            if (isLast)
            {
                var dropped = length - end;
                if (dropped > 0)
                {
                    file.SetLength(end);
                    file.Flush();
                }

                return new WalRecoveryResult
                {
                    Segments = segments,
                    NextLsn = state.ExpectedLsn,
                    RecordsRead = state.RecordsRead,
                    RecordsReplayed = state.RecordsReplayed,
                    TornTailFile = dropped > 0 ? path : null,
                    TornTailBytes = dropped,
                    TornTailReason = dropped > 0 ? problem : null,
                    LastSegmentSalt = header.Salt,
                    LastSegmentChain = chain,
                    LastSegmentEnd = end,
                };
            }

            previousPath = path;
            previousSequence = header.Sequence;
        }

        throw new InvalidOperationException("The last segment always returns.");
    }

    internal static SegmentHeader ReadHeader(IDurableFile file, long expectedFirstLsn)
    {
        Span<byte> header = stackalloc byte[WalFormat.HeaderSize];
        if (file.Length < WalFormat.HeaderSize || file.Read(0, header) != WalFormat.HeaderSize)
        {
            throw new CorruptDataException(file.Path, 0, "the file is shorter than a segment header");
        }

        if (!header[..8].SequenceEqual(WalFormat.Magic))
        {
            throw new CorruptDataException(file.Path, 0, "the file does not start with the segment magic \"THEOWAL\\0\"");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version > WalFormat.CurrentVersion)
        {
            throw new UnsupportedFormatVersionException(file.Path, version, WalFormat.CurrentVersion);
        }

        switch (version)
        {
            case WalFormat.CurrentVersion:
                break;

            // A segment of an older format version is read (or converted) here when the format first changes.
            default:
                throw new CorruptDataException(file.Path, 8, $"unknown segment format version {version}");
        }

        if (BinaryPrimitives.ReadUInt32LittleEndian(header[WalFormat.HeaderCrcOffset..]) != Crc32C.Compute(header[..WalFormat.HeaderCrcOffset]))
        {
            throw new CorruptDataException(file.Path, WalFormat.HeaderCrcOffset, "the segment header checksum does not match");
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(header[10..]) != 0)
        {
            throw new CorruptDataException(file.Path, 10, "the segment header has unknown flags");
        }

        var firstLsn = BinaryPrimitives.ReadInt64LittleEndian(header[20..]);
        if (firstLsn != expectedFirstLsn || firstLsn < 1)
        {
            throw new CorruptDataException(file.Path, 20, $"the header says the first LSN is {firstLsn} but the file name says {expectedFirstLsn}");
        }

        return new SegmentHeader(BinaryPrimitives.ReadUInt64LittleEndian(header[12..]), firstLsn, BinaryPrimitives.ReadUInt32LittleEndian(header[28..]));
    }

    private static (long End, string? Problem) ScanRecords(IDurableFile file, uint salt, long length, ScanState state, out uint chain)
    {
        chain = salt;
        var offset = (long)WalFormat.HeaderSize;
        Span<byte> header = stackalloc byte[WalFormat.RecordHeaderSize];
        while (offset < length)
        {
            var remaining = length - offset;
            if (remaining < WalFormat.RecordHeaderSize || file.Read(offset, header) != WalFormat.RecordHeaderSize)
            {
                return (offset, "a record header is cut short");
            }

            var payloadLength = BinaryPrimitives.ReadUInt32LittleEndian(header);
            if (payloadLength > (uint)state.MaxRecordLength)
            {
                return (offset, $"a record length of {payloadLength} bytes exceeds the maximum of {state.MaxRecordLength}");
            }

            var size = WalFormat.RecordSize(payloadLength);
            if (size > remaining)
            {
                return (offset, $"a record of {size} bytes runs past the end of the file");
            }

            var storedCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
            var type = header[8];
            var lsn = BinaryPrimitives.ReadInt64LittleEndian(header[9..]);
            var crc = Crc32C.Append(Crc32C.Append(chain, header[..4]), header[8..]);
            var deliver = lsn == state.ExpectedLsn && lsn > state.ReplayAfterLsn && state.Replay is not null;
            byte[]? payload = null;
            var tailStart = offset + WalFormat.RecordHeaderSize;
            var tailLength = size - WalFormat.RecordHeaderSize;
            if (deliver)
            {
                // The length was checked against the file above, so this allocation is bounded by the file size.
                payload = new byte[payloadLength];
                if (file.Read(tailStart, payload) != payload.Length)
                {
                    return (offset, "a record is cut short");
                }

                crc = Crc32C.Append(crc, payload);
                tailStart += payloadLength;
                tailLength -= payloadLength;
            }

            if (!TryAppendRange(file, tailStart, tailLength, state.Scratch(tailLength), ref crc))
            {
                return (offset, "a record is cut short");
            }

            if (crc != storedCrc)
            {
                return (offset, $"the checksum of the record at LSN {lsn} does not match");
            }

            if (lsn != state.ExpectedLsn)
            {
                return (offset, $"a record carries LSN {lsn} where LSN {state.ExpectedLsn} was expected");
            }

            state.RecordsRead++;
            if (payload is not null)
            {
                state.Replay!(new WalRecord(lsn, type, payload));
                state.RecordsReplayed++;
            }

            chain = storedCrc;
            state.ExpectedLsn++;
            offset += size;
        }

        return (offset, null);
    }

    private static bool TryAppendRange(IDurableFile file, long offset, long length, byte[] scratch, ref uint crc)
    {
        while (length > 0)
        {
            var chunk = (int)Math.Min(length, scratch.Length);
            if (file.Read(offset, scratch.AsSpan(0, chunk)) != chunk)
            {
                return false;
            }

            crc = Crc32C.Append(crc, scratch.AsSpan(0, chunk));
            offset += chunk;
            length -= chunk;
        }

        return true;
    }

    internal readonly record struct SegmentHeader(ulong Sequence, long FirstLsn, uint Salt);

    private sealed class ScanState
    {
        public long ReplayAfterLsn { get; init; }

        public Action<WalRecord>? Replay { get; init; }

        public int MaxRecordLength { get; init; }

        public long ExpectedLsn { get; set; }

        public long RecordsRead { get; set; }

        public long RecordsReplayed { get; set; }

        private byte[]? _scratch;

        // Sized by what the files need, never more than the fixed chunk, so reading small files allocates little.
        public byte[] Scratch(long needed)
        {
            var size = (int)Math.Min(ScratchSize, Math.Max(needed, 64));
            if (_scratch is null || _scratch.Length < size)
            {
                _scratch = new byte[size];
            }

            return _scratch;
        }
    }
}
