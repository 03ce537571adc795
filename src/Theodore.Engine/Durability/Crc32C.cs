using System.Buffers.Binary;
using System.Numerics;

namespace Theodore.Engine.Durability;

/// <summary>
/// CRC-32C (Castagnoli) with the standard pre- and post-inversion. <see cref="BitOperations.Crc32C(uint, ulong)"/>
/// is the hardware instruction without the inversion, so it is wrapped here.
/// </summary>
public static class Crc32C
{
    public static uint Compute(ReadOnlySpan<byte> data) => Append(0, data);

    /// <summary>Continues <paramref name="crc"/> as if <paramref name="data"/> followed the bytes it covers; <c>Append(0, x) == Compute(x)</c>.</summary>
    public static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        var state = ~crc;
        while (data.Length >= 8)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[8..];
        }

        if (data.Length >= 4)
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt32LittleEndian(data));
            data = data[4..];
        }

        foreach (var b in data)
        {
            state = BitOperations.Crc32C(state, b);
        }

        return ~state;
    }
}
