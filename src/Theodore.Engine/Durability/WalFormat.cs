using System.Buffers.Binary;
using System.Globalization;

namespace Theodore.Engine.Durability;

/// <summary>
/// The segment layout. Header (40 bytes): magic "THEOWAL\0" | version u16 | flags u16 | segment seq u64 |
/// first LSN u64 | salt u32 | CRC32C of the previous 32 bytes u32 | 4 zero bytes. Record: payload length u32 |
/// CRC32C u32 | type u8 | LSN u64 | payload | zero padding to 8 bytes. The record CRC covers every record byte but
/// itself and is chained: seeded with the salt for the first record, then with the previous record's CRC, so stale
/// records of a reused file never verify. All integers are little-endian.
/// </summary>
internal static class WalFormat
{
    public const ushort CurrentVersion = 1;
    public const int HeaderSize = 40;
    public const int HeaderCrcOffset = 32;
    public const int RecordHeaderSize = 17;
    public const string SegmentPrefix = "seg-";
    public const string SegmentSuffix = ".log";

    public static ReadOnlySpan<byte> Magic => "THEOWAL\0"u8;

    public static string SegmentName(long firstLsn) =>
        string.Create(CultureInfo.InvariantCulture, $"{SegmentPrefix}{firstLsn:D20}{SegmentSuffix}");

    public static bool TryParseSegmentName(string name, out long firstLsn)
    {
        firstLsn = 0;
        if (name.Length != SegmentPrefix.Length + 20 + SegmentSuffix.Length
            || !name.StartsWith(SegmentPrefix, StringComparison.Ordinal)
            || !name.EndsWith(SegmentSuffix, StringComparison.Ordinal))
        {
            return false;
        }

        return long.TryParse(name.AsSpan(SegmentPrefix.Length, 20), NumberStyles.None, CultureInfo.InvariantCulture, out firstLsn);
    }

    public static long RecordSize(long payloadLength) => (RecordHeaderSize + payloadLength + 7) & ~7L;

    public static void WriteHeader(Span<byte> header, ulong sequence, long firstLsn, uint salt)
    {
        header[..HeaderSize].Clear();
        Magic.CopyTo(header);
        BinaryPrimitives.WriteUInt16LittleEndian(header[8..], CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0);
        BinaryPrimitives.WriteUInt64LittleEndian(header[12..], sequence);
        BinaryPrimitives.WriteInt64LittleEndian(header[20..], firstLsn);
        BinaryPrimitives.WriteUInt32LittleEndian(header[28..], salt);
        BinaryPrimitives.WriteUInt32LittleEndian(header[HeaderCrcOffset..], Crc32C.Compute(header[..HeaderCrcOffset]));
    }

    /// <summary>Encodes one record into <paramref name="destination"/> and returns its CRC, the seed of the next record.</summary>
    public static uint WriteRecord(Span<byte> destination, uint seed, byte type, long lsn, ReadOnlySpan<byte> payload)
    {
        var size = (int)RecordSize(payload.Length);
        var record = destination[..size];
        BinaryPrimitives.WriteUInt32LittleEndian(record, (uint)payload.Length);
        record[8] = type;
        BinaryPrimitives.WriteInt64LittleEndian(record[9..], lsn);
        payload.CopyTo(record[RecordHeaderSize..]);
        record[(RecordHeaderSize + payload.Length)..].Clear();
        var crc = Crc32C.Append(Crc32C.Append(seed, record[..4]), record[8..]);
        BinaryPrimitives.WriteUInt32LittleEndian(record[4..], crc);
        return crc;
    }
}
