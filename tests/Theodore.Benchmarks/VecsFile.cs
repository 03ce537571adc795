using System.Runtime.InteropServices;

namespace Theodore.Benchmarks;

/// <summary>TEXMEX .fvecs/.ivecs: each row is an int32 dimension followed by that many values.</summary>
internal static class VecsFile
{
    public static (T[] Data, int Rows, int Dimension) Read<T>(string path)
        where T : unmanaged
    {
        var bytes = File.ReadAllBytes(path);
        int dim = BitConverter.ToInt32(bytes, 0);
        int rowBytes = 4 * (dim + 1);
        int rows = bytes.Length / rowBytes;
        var data = new T[(long)rows * dim];
        var target = MemoryMarshal.AsBytes(data.AsSpan());
        for (int r = 0; r < rows; r++)
        {
            bytes.AsSpan((r * rowBytes) + 4, dim * 4).CopyTo(target.Slice(r * dim * 4));
        }

        return (data, rows, dim);
    }
}
