using System.Runtime.InteropServices;

namespace Theodore.Engine;

/// <summary>
/// Bytes held by an index, by concern. The slots' vectors and links count as the slots in use (their chunks are
/// mapped lazily, so reserved but unwritten slots cost no memory); the per-slot bookkeeping counts as allocated.
/// <see cref="VectorBytes"/> includes the 8-bit codes graph builds walk on (about a quarter of the floats, when the
/// index keeps them).
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct MemoryUsage(long VectorBytes, long GraphBytes, long KeyBytes, long MetadataBytes)
{
    public long TotalBytes => VectorBytes + GraphBytes + KeyBytes + MetadataBytes;

    /// <summary>
    /// Float vectors kept in file-backed memory (<see cref="VectorIndexOptions.VectorFileDirectory"/>), not counted in
    /// <see cref="VectorBytes"/>: in the page cache, resident only while reads touch them, and dropped by the kernel
    /// under memory pressure.
    /// </summary>
    public long MappedVectorBytes { get; init; }
}
