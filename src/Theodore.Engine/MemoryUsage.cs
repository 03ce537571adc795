using System.Runtime.InteropServices;

namespace Theodore.Engine;

/// <summary>Bytes held by an index, by concern (allocated capacity, not just what is used).</summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct MemoryUsage(long VectorBytes, long GraphBytes, long KeyBytes, long MetadataBytes)
{
    public long TotalBytes => VectorBytes + GraphBytes + KeyBytes + MetadataBytes;
}
