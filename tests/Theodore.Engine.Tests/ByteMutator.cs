using System.Buffers.Binary;

namespace Theodore.Engine.Tests;

/// <summary>
/// Seeded damage for fuzz tests of the on-disk formats: bit flips, random bytes, boundary values written over
/// length and count fields, truncations, extensions and repeated chunks, one to three at a time.
/// </summary>
internal static class ByteMutator
{
    public static byte[] Mutate(byte[] original, Random random)
    {
        var data = new List<byte>(original);
        int mutations = random.Next(1, 4);
        for (int m = 0; m < mutations; m++)
        {
            int position = data.Count == 0 ? 0 : random.Next(3) == 0 ? random.Next(Math.Min(64, data.Count)) : random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0 when data.Count > 0:
                    data[position] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when data.Count > 0:
                    data[position] = (byte)random.Next(256);
                    break;
                case 2:
                    OverwriteField(data, position, random);
                    break;
                case 3:
                    data.RemoveRange(position, data.Count - position);
                    break;
                case 4:
                    var extra = new byte[random.Next(1, 200)];
                    if (random.Next(2) == 0)
                    {
                        random.NextBytes(extra);
                    }

                    data.AddRange(extra);
                    break;
                default:
                    if (data.Count > 8)
                    {
                        int length = random.Next(1, Math.Min(64, data.Count - position) + 1);
                        var chunk = data.GetRange(position, Math.Min(length, data.Count - position));
                        data.InsertRange(random.Next(data.Count), chunk);
                    }

                    break;
            }
        }

        return [.. data];
    }

    private static void OverwriteField(List<byte> data, int position, Random random)
    {
        Span<byte> field = stackalloc byte[8];
        ulong value = random.Next(6) switch
        {
            0 => 0UL,
            1 => ulong.MaxValue,
            2 => int.MaxValue,
            3 => long.MaxValue,
            4 => (ulong)random.Next(-2, 300),
            _ => (ulong)random.NextInt64(),
        };
        BinaryPrimitives.WriteUInt64LittleEndian(field, value);
        int width = random.Next(2) == 0 ? 4 : 8;
        for (int i = 0; i < width && position + i < data.Count; i++)
        {
            data[position + i] = field[i];
        }
    }
}
