using System.Runtime.InteropServices;

namespace Theodore.Engine.Graph;

/// <summary>
/// Where a chunk keeps a slot's vector and its layer-0 links: interleaved in one block (vector, then links; both
/// strides the slot's size), or, with a <see cref="VectorDirectory"/>, vectors in a file-backed block of their own and
/// links packed in memory.
/// </summary>
[StructLayout(LayoutKind.Auto)]
internal readonly record struct SlotLayout(int VectorStride, int LinkStride, int LinkOffset, string? VectorDirectory)
{
    /// <summary>The layout for vectors of <paramref name="vectorBytes"/> and link blocks of <paramref name="linkBytes"/> (both padded to lines).</summary>
    public static SlotLayout For(int vectorBytes, int linkBytes, string? vectorDirectory) =>
        vectorDirectory is null
            ? new SlotLayout(vectorBytes + linkBytes, vectorBytes + linkBytes, vectorBytes, null)
            : new SlotLayout(vectorBytes, linkBytes, 0, vectorDirectory);

    /// <summary>Bytes per slot in memory (the file-backed vectors not counted).</summary>
    public int ResidentBytes => VectorDirectory is null ? VectorStride : LinkStride;
}
