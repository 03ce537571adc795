using System.Buffers.Binary;
using System.Text;

namespace Theodore.Engine.Durability;

/// <summary>
/// Opens a snapshot container as untrusted input: the whole-file checksum is verified before anything is parsed,
/// every length and count is checked against the file length with checked arithmetic before it is allocated, and
/// sections are streamed block by block, each block verified against its own checksum before it is handed out.
/// </summary>
public sealed class SnapshotReader : IDisposable
{
    private const int ScratchSize = 64 * 1024;

    private readonly IDurableFile _file;
    private readonly Dictionary<string, SnapshotSection> _byName;

    private SnapshotReader(IDurableFile file, int formatVersion, long checkpointLsn, byte[] userHeader, List<SnapshotSection> sections)
    {
        _file = file;
        FormatVersion = formatVersion;
        CheckpointLsn = checkpointLsn;
        UserHeader = userHeader;
        Sections = sections;
        _byName = new Dictionary<string, SnapshotSection>(sections.Count, StringComparer.Ordinal);
        foreach (var section in sections)
        {
            _byName[section.Name] = section;
        }
    }

    public string Path => _file.Path;

    public int FormatVersion { get; }

    public long CheckpointLsn { get; }

    /// <summary>The caller's own header bytes (dimension, metric, counts ...), as given to <see cref="SnapshotWriter.Create"/>.</summary>
    public ReadOnlyMemory<byte> UserHeader { get; }

    public IReadOnlyList<SnapshotSection> Sections { get; }

    public static SnapshotReader Open(IDurableFileSystem fileSystem, string path)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        var file = fileSystem.OpenFile(path, DurableFileMode.OpenRead);
        try
        {
            return Parse(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public bool HasSection(string name) => _byName.ContainsKey(name);

    /// <summary>A read-only stream over a section's data; a damaged block throws <see cref="CorruptDataException"/> when reached.</summary>
    public Stream OpenSection(string name)
    {
        if (!_byName.TryGetValue(name, out var section))
        {
            throw new KeyNotFoundException($"The snapshot {Path} has no section named '{name}'.");
        }

        return new SectionStream(_file, section);
    }

    /// <summary>Reads a whole section into a new array; for small sections (stream the big ones).</summary>
    public byte[] ReadSection(string name)
    {
        using var stream = OpenSection(name);
        if (stream.Length > Array.MaxLength)
        {
            throw new InvalidOperationException($"Section '{name}' is {stream.Length} bytes long; stream it instead.");
        }

        var data = new byte[stream.Length];
        stream.ReadExactly(data);
        return data;
    }

    public void Dispose() => _file.Dispose();

    private static SnapshotReader Parse(IDurableFile file)
    {
        var path = file.Path;
        var length = file.Length;
        if (length < SnapshotFormat.MinimumFileSize)
        {
            throw new CorruptDataException(path, 0, $"the file is {length} bytes long, too short for a snapshot");
        }

        Span<byte> header = stackalloc byte[SnapshotFormat.FixedHeaderSize];
        ReadExactly(file, 0, header);
        if (!header[..8].SequenceEqual(SnapshotFormat.Magic))
        {
            throw new CorruptDataException(path, 0, "the file does not start with the snapshot magic \"THEOSNAP\"");
        }

        var version = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
        if (version > SnapshotFormat.CurrentVersion)
        {
            throw new UnsupportedFormatVersionException(path, version, SnapshotFormat.CurrentVersion);
        }

        switch (version)
        {
            case SnapshotFormat.CurrentVersion:
                break;

            // A snapshot of an older format version is read (or migrated) here when the format first changes.
            default:
                throw new CorruptDataException(path, 8, $"unknown snapshot format version {version}");
        }

        Span<byte> footer = stackalloc byte[SnapshotFormat.FooterSize];
        var footerOffset = length - SnapshotFormat.FooterSize;
        ReadExactly(file, footerOffset, footer);
        if (!footer[8..].SequenceEqual(SnapshotFormat.Magic))
        {
            throw new CorruptDataException(path, footerOffset + 8, "the file does not end with the snapshot magic; it is incomplete");
        }

        var crcOffset = footerOffset + 4;
        if (BinaryPrimitives.ReadUInt32LittleEndian(footer[4..]) != ChecksumOf(file, crcOffset))
        {
            throw new CorruptDataException(path, crcOffset, "the whole-file checksum does not match");
        }

        if (BinaryPrimitives.ReadUInt16LittleEndian(header[10..]) != 0)
        {
            throw new CorruptDataException(path, 10, "the snapshot header has unknown flags");
        }

        var userHeaderLength = BinaryPrimitives.ReadUInt32LittleEndian(header[12..]);
        var checkpointLsn = BinaryPrimitives.ReadInt64LittleEndian(header[16..]);
        var sectionsEnd = footerOffset - 1;
        if (userHeaderLength > SnapshotFormat.MaxUserHeaderLength || SnapshotFormat.FixedHeaderSize + userHeaderLength + 4 > sectionsEnd)
        {
            throw new CorruptDataException(path, 12, $"a user header of {userHeaderLength} bytes does not fit in the file");
        }

        if (checkpointLsn < 0)
        {
            throw new CorruptDataException(path, 16, $"the checkpoint LSN {checkpointLsn} is negative");
        }

        var userHeader = new byte[userHeaderLength];
        ReadExactly(file, SnapshotFormat.FixedHeaderSize, userHeader);
        Span<byte> crc = stackalloc byte[4];
        var headerCrcOffset = SnapshotFormat.FixedHeaderSize + userHeaderLength;
        ReadExactly(file, headerCrcOffset, crc);
        if (BinaryPrimitives.ReadUInt32LittleEndian(crc) != Crc32C.Append(Crc32C.Compute(header), userHeader))
        {
            throw new CorruptDataException(path, headerCrcOffset, "the snapshot header checksum does not match");
        }

        var sections = ReadSections(file, headerCrcOffset + 4, sectionsEnd);
        var declared = BinaryPrimitives.ReadUInt32LittleEndian(footer);
        if (declared != (uint)sections.Count)
        {
            throw new CorruptDataException(path, footerOffset, $"the footer counts {declared} sections but the file holds {sections.Count}");
        }

        return new SnapshotReader(file, version, checkpointLsn, userHeader, sections);
    }

    private static List<SnapshotSection> ReadSections(IDurableFile file, long offset, long sectionsEnd)
    {
        var path = file.Path;
        var sections = new List<SnapshotSection>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        Span<byte> marker = stackalloc byte[2];
        Span<byte> rest = stackalloc byte[SnapshotFormat.MaxNameLength + 8 + 4];
        while (true)
        {
            if (offset > sectionsEnd)
            {
                throw new CorruptDataException(path, offset, "a section runs into the footer");
            }

            if (offset == sectionsEnd)
            {
                ReadExactly(file, offset, marker[..1]);
                if (marker[0] != SnapshotFormat.EndMarker)
                {
                    throw new CorruptDataException(path, offset, "the end marker is missing");
                }

                return sections;
            }

            ReadExactly(file, offset, marker);
            if (marker[0] != SnapshotFormat.SectionMarker)
            {
                throw new CorruptDataException(path, offset, $"expected a section marker, found byte {marker[0]}");
            }

            var nameLength = marker[1];
            var headerRest = nameLength + 8 + 4;
            if (nameLength == 0 || offset + 2 + headerRest > sectionsEnd)
            {
                throw new CorruptDataException(path, offset, "a section header does not fit in the file");
            }

            var fields = rest[..headerRest];
            ReadExactly(file, offset + 2, fields);
            var expectedCrc = Crc32C.Append(Crc32C.Compute(marker), fields[..(nameLength + 8)]);
            if (BinaryPrimitives.ReadUInt32LittleEndian(fields[(nameLength + 8)..]) != expectedCrc)
            {
                throw new CorruptDataException(path, offset, "a section header checksum does not match");
            }

            string name;
            try
            {
                name = SnapshotFormat.StrictUtf8.GetString(fields[..nameLength]);
            }
            catch (DecoderFallbackException)
            {
                throw new CorruptDataException(path, offset + 2, "a section name is not UTF-8");
            }

            var dataLength = BinaryPrimitives.ReadInt64LittleEndian(fields[nameLength..]);
            var dataOffset = offset + 2 + headerRest;
            var available = sectionsEnd - dataOffset;
            if (dataLength < 0 || dataLength > available || SnapshotFormat.StoredLength(dataLength) > available)
            {
                throw new CorruptDataException(path, offset, $"section '{name}' of {dataLength} bytes does not fit in the file");
            }

            if (!names.Add(name))
            {
                throw new CorruptDataException(path, offset, $"the section name '{name}' appears twice");
            }

            sections.Add(new SnapshotSection(name, dataLength, dataOffset));
            offset = dataOffset + SnapshotFormat.StoredLength(dataLength);
        }
    }

    private static uint ChecksumOf(IDurableFile file, long length)
    {
        var scratch = new byte[(int)Math.Min(ScratchSize, length)];
        uint crc = 0;
        long offset = 0;
        while (offset < length)
        {
            var chunk = (int)Math.Min(scratch.Length, length - offset);
            ReadExactly(file, offset, scratch.AsSpan(0, chunk));
            crc = Crc32C.Append(crc, scratch.AsSpan(0, chunk));
            offset += chunk;
        }

        return crc;
    }

    private static void ReadExactly(IDurableFile file, long offset, Span<byte> destination)
    {
        if (file.Read(offset, destination) != destination.Length)
        {
            throw new CorruptDataException(file.Path, offset, "the file ended early");
        }
    }

    private sealed class SectionStream(IDurableFile file, SnapshotSection section) : Stream
    {
        private readonly byte[] _block = new byte[(int)Math.Min(SnapshotFormat.BlockSize, section.Length)];
        private long _position;
        private long _blockStart = -1;
        private int _blockLength;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => section.Length;

        public override long Position
        {
            get => _position;
            set => throw new NotSupportedException();
        }

        public override int Read(Span<byte> buffer)
        {
            if (_position >= section.Length || buffer.IsEmpty)
            {
                return 0;
            }

            var blockIndex = _position / SnapshotFormat.BlockSize;
            var blockStart = blockIndex * SnapshotFormat.BlockSize;
            if (blockStart != _blockStart)
            {
                LoadBlock(blockIndex, blockStart);
            }

            var inBlock = (int)(_position - blockStart);
            var count = Math.Min(buffer.Length, _blockLength - inBlock);
            _block.AsSpan(inBlock, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        private void LoadBlock(long blockIndex, long blockStart)
        {
            var blockLength = (int)Math.Min(SnapshotFormat.BlockSize, section.Length - blockStart);
            var fileOffset = section.DataOffset + (blockIndex * (SnapshotFormat.BlockSize + 4L));
            var data = _block.AsSpan(0, blockLength);
            SnapshotReader.ReadExactly(file, fileOffset, data);
            Span<byte> crc = stackalloc byte[4];
            SnapshotReader.ReadExactly(file, fileOffset + blockLength, crc);
            if (BinaryPrimitives.ReadUInt32LittleEndian(crc) != Crc32C.Compute(data))
            {
                throw new CorruptDataException(file.Path, fileOffset, $"block {blockIndex} of section '{section.Name}' fails its checksum");
            }

            _blockStart = blockStart;
            _blockLength = blockLength;
        }
    }
}
