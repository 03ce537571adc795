using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Theodore.Benchmarks;

/// <summary>TEXMEX .fvecs/.ivecs: each row is an int32 dimension followed by that many values.</summary>
internal static class VecsFile
{
    /// <summary>
    /// Every row, values only, in one array. Read row by row from a stream: a 1M x 768 base file is 3 GB, past what
    /// <see cref="File.ReadAllBytes(string)"/> and a byte span can hold.
    /// </summary>
    public static (T[] Data, int Rows, int Dimension) Read<T>(string path)
        where T : unmanaged
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        Span<byte> header = stackalloc byte[sizeof(int)];
        file.ReadExactly(header);
        int dim = BitConverter.ToInt32(header);
        long rowBytes = sizeof(int) + ((long)dim * Unsafe.SizeOf<T>());
        if (dim <= 0 || file.Length % rowBytes != 0)
        {
            throw new InvalidDataException($"{path} is not a vecs file of whole rows (dimension {dim}, {file.Length} bytes)");
        }

        int rows = checked((int)(file.Length / rowBytes));
        var data = new T[checked(rows * dim)];
        file.Position = 0;
        for (int r = 0; r < rows; r++)
        {
            file.ReadExactly(header);
            if (BitConverter.ToInt32(header) is var rowDim && rowDim != dim)
            {
                throw new InvalidDataException($"{path}: row {r} has dimension {rowDim}, the first row {dim}");
            }

            file.ReadExactly(MemoryMarshal.AsBytes(data.AsSpan(r * dim, dim)));
        }

        return (data, rows, dim);
    }
}
