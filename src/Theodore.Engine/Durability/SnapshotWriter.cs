using System.Buffers.Binary;

namespace Theodore.Engine.Durability;

/// <summary>
/// Writes a snapshot container to <c>&lt;path&gt;.tmp</c>; <see cref="Commit"/> adds the footer, flushes, renames it to
/// its name and syncs the directory. Disposing an uncommitted writer deletes the temporary file.
/// </summary>
public sealed class SnapshotWriter : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly IDurableFileSystem _fileSystem;
    private readonly IDurableFile _file;
    private readonly string _temporaryPath;
    private readonly byte[] _buffer = new byte[BufferSize];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private int _buffered;
    private long _written;
    private uint _fileCrc;
    private SectionStream? _openSection;
    private string? _incompleteSection;
    private bool _committed;
    private bool _disposed;

    private SnapshotWriter(IDurableFileSystem fileSystem, string path, IDurableFile file)
    {
        _fileSystem = fileSystem;
        Path = path;
        _temporaryPath = file.Path;
        _file = file;
    }

    /// <summary>The final path the snapshot gets on <see cref="Commit"/>.</summary>
    public string Path { get; }

    public static SnapshotWriter Create(IDurableFileSystem fileSystem, string path, long checkpointLsn, ReadOnlySpan<byte> userHeader)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentOutOfRangeException.ThrowIfNegative(checkpointLsn);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(userHeader.Length, SnapshotFormat.MaxUserHeaderLength, nameof(userHeader));
        var file = fileSystem.OpenFile(path + DataDirectoryCleanup.TemporarySuffix, DurableFileMode.Create);
        var writer = new SnapshotWriter(fileSystem, path, file);
        try
        {
            Span<byte> header = stackalloc byte[SnapshotFormat.FixedHeaderSize];
            SnapshotFormat.Magic.CopyTo(header);
            BinaryPrimitives.WriteUInt16LittleEndian(header[8..], SnapshotFormat.CurrentVersion);
            BinaryPrimitives.WriteUInt16LittleEndian(header[10..], 0);
            BinaryPrimitives.WriteInt32LittleEndian(header[12..], userHeader.Length);
            BinaryPrimitives.WriteInt64LittleEndian(header[16..], checkpointLsn);
            var headerCrc = Crc32C.Append(Crc32C.Compute(header), userHeader);
            writer.Append(header);
            writer.Append(userHeader);
            writer.AppendUInt32(headerCrc);
            return writer;
        }
        catch
        {
            writer.Dispose();
            throw;
        }
    }

    /// <summary>Writes a whole section at once.</summary>
    public void WriteSection(string name, ReadOnlySpan<byte> data)
    {
        using var section = BeginSection(name, data.Length);
        section.Write(data);
    }

    /// <summary>
    /// Starts a section of exactly <paramref name="length"/> bytes and returns the stream to write them to, so a large
    /// section can be produced piece by piece. Dispose the stream to end the section; <see cref="Commit"/> refuses a
    /// snapshot whose section ended short.
    /// </summary>
    public Stream BeginSection(string name, long length)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ThrowIfUnusable();
        if (_openSection is not null)
        {
            throw new InvalidOperationException($"Section '{_openSection.Name}' is still open; dispose its stream first.");
        }

        var nameBytes = SnapshotFormat.StrictUtf8.GetBytes(name);
        if (nameBytes.Length > SnapshotFormat.MaxNameLength)
        {
            throw new ArgumentException($"A section name is at most {SnapshotFormat.MaxNameLength} UTF-8 bytes.", nameof(name));
        }

        if (!_names.Add(name))
        {
            throw new ArgumentException($"The snapshot already has a section named '{name}'.", nameof(name));
        }

        Span<byte> header = stackalloc byte[2 + SnapshotFormat.MaxNameLength + 8];
        header[0] = SnapshotFormat.SectionMarker;
        header[1] = (byte)nameBytes.Length;
        nameBytes.CopyTo(header[2..]);
        BinaryPrimitives.WriteInt64LittleEndian(header[(2 + nameBytes.Length)..], length);
        var used = header[..(2 + nameBytes.Length + 8)];
        Append(used);
        AppendUInt32(Crc32C.Compute(used));
        _openSection = new SectionStream(this, name, length);
        return _openSection;
    }

    /// <summary>Ends the file, makes it durable and puts it in place under <see cref="Path"/>.</summary>
    public void Commit()
    {
        ThrowIfUnusable();
        if (_openSection is not null)
        {
            throw new InvalidOperationException($"Section '{_openSection.Name}' is still open; dispose its stream first.");
        }

        if (_incompleteSection is not null)
        {
            throw new InvalidOperationException($"Section '{_incompleteSection}' ended before all its declared bytes were written.");
        }

        Span<byte> end = [SnapshotFormat.EndMarker, 0, 0, 0, 0];
        BinaryPrimitives.WriteInt32LittleEndian(end[1..], _names.Count);
        Append(end);
        AppendUInt32(_fileCrc);
        Append(SnapshotFormat.Magic);
        FlushBuffer();
        _file.Flush();
        _file.Dispose();
        _fileSystem.Rename(_temporaryPath, Path);
        _committed = true;
        _fileSystem.SyncDirectory(System.IO.Path.GetDirectoryName(Path) ?? ".");
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _file.Dispose();
        if (!_committed)
        {
            try
            {
                _fileSystem.DeleteFile(_temporaryPath);
            }
            catch (IOException)
            {
                // The startup cleanup removes a leftover temporary file.
            }
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_committed)
        {
            throw new InvalidOperationException("The snapshot is already committed.");
        }
    }

    private void AppendUInt32(uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        Append(bytes);
    }

    private void Append(ReadOnlySpan<byte> data)
    {
        _fileCrc = Crc32C.Append(_fileCrc, data);
        while (!data.IsEmpty)
        {
            var chunk = Math.Min(data.Length, BufferSize - _buffered);
            data[..chunk].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += chunk;
            data = data[chunk..];
            if (_buffered == BufferSize)
            {
                FlushBuffer();
            }
        }
    }

    private void FlushBuffer()
    {
        if (_buffered == 0)
        {
            return;
        }

        _file.Write(_written, _buffer.AsSpan(0, _buffered));
        _written += _buffered;
        _buffered = 0;
    }

    private sealed class SectionStream(SnapshotWriter owner, string name, long declaredLength) : Stream
    {
        private readonly long _length = declaredLength;
        private long _remaining = declaredLength;
        private int _inBlock;
        private uint _blockCrc;
        private bool _closed;

        public string Name { get; } = name;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => !_closed;

        public override long Length => _length;

        public override long Position
        {
            get => _length - _remaining;
            set => throw new NotSupportedException();
        }

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (buffer.Length > _remaining)
            {
                throw new InvalidOperationException($"Section '{Name}' was declared with {_length} bytes; more were written.");
            }

            while (!buffer.IsEmpty)
            {
                var chunk = Math.Min(buffer.Length, SnapshotFormat.BlockSize - _inBlock);
                var piece = buffer[..chunk];
                owner.Append(piece);
                _blockCrc = Crc32C.Append(_blockCrc, piece);
                _inBlock += chunk;
                _remaining -= chunk;
                buffer = buffer[chunk..];
                if (_inBlock == SnapshotFormat.BlockSize || _remaining == 0)
                {
                    owner.AppendUInt32(_blockCrc);
                    _blockCrc = 0;
                    _inBlock = 0;
                }
            }
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !_closed)
            {
                _closed = true;
                owner._openSection = null;
                if (_remaining != 0)
                {
                    owner._incompleteSection ??= Name;
                }
            }

            base.Dispose(disposing);
        }
    }
}
