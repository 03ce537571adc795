using System.Buffers.Binary;
using System.Text;

namespace Theodore.Engine.Durability;

/// <summary>
/// The <c>CURRENT</c> file: which snapshot is the recovery base and the LSN it covers. Layout: magic "THEOMANI" |
/// version u16 | flags u16 | name length u16 | 2 zero bytes | checkpoint LSN u64 | snapshot file name (UTF-8) |
/// CRC32C of everything before u32.
/// </summary>
public sealed record DataManifest(string SnapshotFileName, long CheckpointLsn)
{
    public const ushort CurrentVersion = 1;
    public const int MaxLength = 4096;
    private const int FixedSize = 24;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ReadOnlySpan<byte> Magic => "THEOMANI"u8;

    public static DataManifest? Read(IDurableFileSystem fileSystem, string path)
    {
        var contents = AtomicFile.ReadAllBytes(fileSystem, path, MaxLength);
        return contents is null ? null : Decode(path, contents);
    }

    public static DataManifest Decode(string path, ReadOnlySpan<byte> contents)
    {
        if (contents.Length < FixedSize + 4 || !contents[..8].SequenceEqual(Magic))
        {
            throw new CorruptDataException(path, 0, "the file is not a Theodore manifest");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(contents[8..]);
        if (version > CurrentVersion)
        {
            throw new UnsupportedFormatVersionException(path, version, CurrentVersion);
        }

        switch (version)
        {
            case CurrentVersion:
                break;

            // A manifest of an older format version is read (or converted) here when the format first changes.
            default:
                throw new CorruptDataException(path, 8, $"unknown manifest format version {version}");
        }

        var crcOffset = contents.Length - 4;
        if (BinaryPrimitives.ReadUInt32LittleEndian(contents[crcOffset..]) != Crc32C.Compute(contents[..crcOffset]))
        {
            throw new CorruptDataException(path, crcOffset, "the manifest checksum does not match");
        }

        var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(contents[12..]);
        if (FixedSize + nameLength != crcOffset)
        {
            throw new CorruptDataException(path, 12, "the snapshot name length does not match the file length");
        }

        var lsn = BinaryPrimitives.ReadInt64LittleEndian(contents[16..]);
        if (lsn < 0)
        {
            throw new CorruptDataException(path, 16, $"the checkpoint LSN {lsn} is negative");
        }

        string name;
        try
        {
            name = StrictUtf8.GetString(contents.Slice(FixedSize, nameLength));
        }
        catch (DecoderFallbackException)
        {
            throw new CorruptDataException(path, FixedSize, "the snapshot name is not UTF-8");
        }

        if (name.Length == 0 || name.IndexOfAny(['/', '\\']) >= 0 || name is "." or "..")
        {
            throw new CorruptDataException(path, FixedSize, $"'{name}' is not a snapshot file name");
        }

        return new DataManifest(name, lsn);
    }

    public byte[] Encode()
    {
        var nameBytes = StrictUtf8.GetBytes(SnapshotFileName);
        var contents = new byte[FixedSize + nameBytes.Length + 4];
        Magic.CopyTo(contents);
        BinaryPrimitives.WriteUInt16LittleEndian(contents.AsSpan(8), CurrentVersion);
        BinaryPrimitives.WriteUInt16LittleEndian(contents.AsSpan(12), checked((ushort)nameBytes.Length));
        BinaryPrimitives.WriteInt64LittleEndian(contents.AsSpan(16), CheckpointLsn);
        nameBytes.CopyTo(contents, FixedSize);
        var crcOffset = contents.Length - 4;
        BinaryPrimitives.WriteUInt32LittleEndian(contents.AsSpan(crcOffset), Crc32C.Compute(contents.AsSpan(0, crcOffset)));
        return contents;
    }

    public void Write(IDurableFileSystem fileSystem, string path) => AtomicFile.WriteAllBytes(fileSystem, path, Encode());
}
