using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Theodore.Engine.Durability;

namespace Theodore.Engine.Graph;

/// <summary>
/// Reads one snapshot section as untrusted input: every read is checked against the bytes left in the section
/// before anything is allocated, and every problem becomes a <see cref="CorruptDataException"/> naming the section,
/// the byte within it and the file offset.
/// </summary>
internal sealed class SectionCursor : IDisposable
{
    private const int BufferSize = 64 * 1024;

    private readonly string _path;
    private readonly SnapshotSection _section;
    private readonly Stream _stream;
    private readonly byte[] _buffer;
    private int _start;
    private int _end;
    private long _consumed;

    public SectionCursor(SnapshotReader reader, string name)
    {
        _path = reader.Path;
        SnapshotSection? found = null;
        foreach (var section in reader.Sections)
        {
            if (string.Equals(section.Name, name, StringComparison.Ordinal))
            {
                found = section;
                break;
            }
        }

        _section = found ?? throw new CorruptDataException(_path, 0, $"the snapshot has no section '{name}'");
        _stream = reader.OpenSection(name);
        _buffer = new byte[(int)Math.Min(BufferSize, Math.Max(1, _section.Length))];
    }

    public string Name => _section.Name;

    public long Length => _section.Length;

    /// <summary>Bytes of the section not read yet.</summary>
    public long Remaining => _section.Length - _consumed;

    public CorruptDataException Corrupt(string problem) => CorruptAt(_consumed, problem);

    /// <summary>A problem with the byte at <paramref name="position"/> of the section, for checks made after reading.</summary>
    public CorruptDataException CorruptAt(long position, string problem)
    {
        // Section data is stored in blocks, each followed by its 4-byte checksum.
        long fileOffset = _section.DataOffset + position + (4 * (position / SnapshotFormat.BlockSize));
        return new CorruptDataException(_path, fileOffset, $"section '{_section.Name}' at byte {position}: {problem}");
    }

    /// <summary>Throws unless at least <paramref name="bytes"/> are left (so a count can be checked before allocating).</summary>
    public void Require(long bytes, string what)
    {
        if (bytes < 0 || bytes > Remaining)
        {
            throw Corrupt($"{what} needs {bytes} bytes but only {Remaining} are left");
        }
    }

    public byte ReadByte()
    {
        Fill(1, "a byte");
        _consumed++;
        return _buffer[_start++];
    }

    public int ReadInt32()
    {
        Fill(4, "an int32");
        int value = BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(_start));
        Advance(4);
        return value;
    }

    public long ReadInt64()
    {
        Fill(8, "an int64");
        long value = BinaryPrimitives.ReadInt64LittleEndian(_buffer.AsSpan(_start));
        Advance(8);
        return value;
    }

    public double ReadDouble()
    {
        Fill(8, "a float64");
        double value = BinaryPrimitives.ReadDoubleLittleEndian(_buffer.AsSpan(_start));
        Advance(8);
        return value;
    }

    /// <summary>A count in [0, <paramref name="max"/>], each counted item taking at least <paramref name="minBytesEach"/> bytes.</summary>
    public int ReadCount(string what, int max, int minBytesEach)
    {
        int count = ReadInt32();
        if (count < 0 || count > max)
        {
            throw Corrupt($"{what} {count} is outside 0-{max}");
        }

        Require(checked((long)count * minBytesEach), $"{what} {count}");
        return count;
    }

    /// <summary>A string stored as a char count and UTF-16LE code units (so any .NET string round-trips).</summary>
    public string ReadString(string what, int minLength, int maxLength)
    {
        int length = ReadInt32();
        if (length < minLength || length > maxLength)
        {
            throw Corrupt($"{what} length {length} is outside {minLength}-{maxLength}");
        }

        Require(2L * length, what);
        return string.Create(length, this, static (chars, cursor) => cursor.ReadInto(MemoryMarshal.AsBytes(chars)));
    }

    public void ReadFloats(Span<float> destination)
    {
        ReadInto(MemoryMarshal.AsBytes(destination));
        if (!BitConverter.IsLittleEndian)
        {
            var ints = MemoryMarshal.Cast<float, int>(destination);
            BinaryPrimitives.ReverseEndianness(ints, ints);
        }
    }

    public void ReadInto(Span<byte> destination)
    {
        Require(destination.Length, "a block of data");
        while (!destination.IsEmpty)
        {
            if (_start == _end)
            {
                Refill();
            }

            int n = Math.Min(destination.Length, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(destination);
            destination = destination[n..];
            Advance(n);
        }
    }

    public void ExpectEnd()
    {
        if (Remaining != 0)
        {
            throw Corrupt($"{Remaining} bytes are left over after the last entry");
        }
    }

    public void Dispose() => _stream.Dispose();

    private void Advance(int n)
    {
        _start += n;
        _consumed += n;
    }

    private void Fill(int needed, string what)
    {
        Require(needed, what);
        if (_end - _start >= needed)
        {
            return;
        }

        int kept = _end - _start;
        _buffer.AsSpan(_start, kept).CopyTo(_buffer);
        _start = 0;
        _end = kept;
        while (_end < needed)
        {
            int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                throw Corrupt("the section ended early");
            }

            _end += read;
        }
    }

    private void Refill()
    {
        _start = 0;
        _end = _stream.Read(_buffer, 0, _buffer.Length);
        if (_end == 0)
        {
            throw Corrupt("the section ended early");
        }
    }
}
