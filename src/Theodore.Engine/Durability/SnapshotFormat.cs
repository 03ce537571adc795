using System.Text;

namespace Theodore.Engine.Durability;

/// <summary>
/// The snapshot container. Header: magic "THEOSNAP" | version u16 | flags u16 | user header length u32 |
/// checkpoint LSN u64 | user header bytes | CRC32C of the header u32. Then sections: marker 'S' | name length u8 |
/// name (UTF-8) | data length u64 | CRC32C of this section header u32 | the data in 1 MiB blocks, each followed by its
/// CRC32C u32. Then the end marker 'E' and a 16-byte footer: section count u32 | CRC32C of every byte before it u32 |
/// magic "THEOSNAP". All integers are little-endian.
/// </summary>
internal static class SnapshotFormat
{
    public const ushort CurrentVersion = 1;
    public const int FixedHeaderSize = 24;
    public const int FooterSize = 16;
    public const int BlockSize = 1024 * 1024;
    public const int MaxUserHeaderLength = 16 * 1024 * 1024;
    public const int MaxNameLength = 255;
    public const byte SectionMarker = (byte)'S';
    public const byte EndMarker = (byte)'E';

    /// <summary>The smallest possible file: header without user bytes, its CRC, the end marker and the footer.</summary>
    public const int MinimumFileSize = FixedHeaderSize + 4 + 1 + FooterSize;

    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static ReadOnlySpan<byte> Magic => "THEOSNAP"u8;

    /// <summary>Bytes a section's data takes on disk: the data plus one CRC per started block.</summary>
    public static long StoredLength(long dataLength) => checked(dataLength + (4 * ((dataLength + BlockSize - 1) / BlockSize)));
}
