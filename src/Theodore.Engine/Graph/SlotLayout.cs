using System.Runtime.InteropServices;

namespace Theodore.Engine.Graph;

/// <summary>
/// Where a chunk keeps a slot's vector and its layer-0 links: interleaved in one block (vector, then links padded to a
/// cache line; both strides the slot's size), or, with a <see cref="VectorDirectory"/>, vectors in a file-backed block
/// of their own and links packed in memory at the tightest stride that costs no read an extra cache line
/// (<see cref="CacheLines.TightStride"/>).
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct SlotLayout(int VectorStride, int LinkStride, int LinkOffset, string? VectorDirectory)
{
    /// <summary>The layout for vectors of <paramref name="vectorBytes"/> (a multiple of 64) and link blocks of <paramref name="linkBytes"/>.</summary>
    public static SlotLayout For(int vectorBytes, int linkBytes, string? vectorDirectory) =>
        vectorDirectory is null
            ? new SlotLayout(vectorBytes + CacheLines.Whole(linkBytes), vectorBytes + CacheLines.Whole(linkBytes), vectorBytes, null)
            : new SlotLayout(vectorBytes, CacheLines.TightStride(linkBytes), 0, vectorDirectory);

    /// <summary>Bytes per slot in memory (the file-backed vectors not counted).</summary>
    public int ResidentBytes => VectorDirectory is null ? VectorStride : LinkStride;

    /// <summary>Bytes of a slot's link block, padding included.</summary>
    public int LinkBytes => VectorDirectory is null ? VectorStride - LinkOffset : LinkStride;
}
