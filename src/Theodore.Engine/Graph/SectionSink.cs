using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Theodore.Engine.Graph;

/// <summary>Buffers small little-endian writes into a snapshot section stream (one checksum update per 64 KiB, not per int).</summary>
internal sealed class SectionSink(Stream section) : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _used;

    public void WriteByte(byte value)
    {
        Reserve(1);
        _buffer[_used++] = value;
    }

    public void WriteInt32(int value)
    {
        Reserve(4);
        BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_used), value);
        _used += 4;
    }

    public void WriteInt64(long value)
    {
        Reserve(8);
        BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_used), value);
        _used += 8;
    }

    public void WriteDouble(double value)
    {
        Reserve(8);
        BinaryPrimitives.WriteDoubleLittleEndian(_buffer.AsSpan(_used), value);
        _used += 8;
    }

    /// <summary>Char count, then UTF-16LE code units, so any .NET string (even with lone surrogates) round-trips.</summary>
    public void WriteString(string value)
    {
        WriteInt32(value.Length);
        if (BitConverter.IsLittleEndian)
        {
            WriteBytes(MemoryMarshal.AsBytes(value.AsSpan()));
            return;
        }

        foreach (char c in value)
        {
            Reserve(2);
            BinaryPrimitives.WriteUInt16LittleEndian(_buffer.AsSpan(_used), c);
            _used += 2;
        }
    }

    public void WriteFloats(ReadOnlySpan<float> values)
    {
        if (BitConverter.IsLittleEndian)
        {
            WriteBytes(MemoryMarshal.AsBytes(values));
            return;
        }

        foreach (float value in values)
        {
            Reserve(4);
            BinaryPrimitives.WriteSingleLittleEndian(_buffer.AsSpan(_used), value);
            _used += 4;
        }
    }

    public void WriteBytes(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            Reserve(1);
            int n = Math.Min(data.Length, _buffer.Length - _used);
            data[..n].CopyTo(_buffer.AsSpan(_used));
            _used += n;
            data = data[n..];
        }
    }

    public void Dispose()
    {
        Flush();
        section.Dispose();
    }

    private void Reserve(int bytes)
    {
        if (_buffer.Length - _used < bytes)
        {
            Flush();
        }
    }

    private void Flush()
    {
        if (_used > 0)
        {
            section.Write(_buffer, 0, _used);
            _used = 0;
        }
    }
}
