using System.Runtime.CompilerServices;

namespace Theodore.Engine.Graph;

/// <summary>
/// A fixed block of slots: vectors at a 64-byte aligned stride and the layer-0 link blocks
/// ([count, 2M links] per slot) in pinned arrays, plus the per-slot bookkeeping. Chunks never
/// move, so growing the index never copies vectors or races with readers.
/// </summary>
internal sealed unsafe class NodeChunk
{
    public NodeChunk(int size, int stride, int linkStride)
    {
        // 16 spare floats let the base be rounded up to a 64-byte boundary.
        Vectors = GC.AllocateArray<float>((size * stride) + 16, pinned: true);
        var raw = (nint)Unsafe.AsPointer(ref Vectors[0]);
        VectorBase = (float*)((raw + 63) & ~(nint)63);
        Links = GC.AllocateArray<int>(size * linkStride, pinned: true);
        LinkBase = (int*)Unsafe.AsPointer(ref Links[0]);
        Levels = new byte[size];
        Deleted = new byte[size];
        Linked = new byte[size];
        Upper = new int[]?[size];
        Keys = new string?[size];
        Metadata = new IReadOnlyDictionary<string, EngineValue>?[size];
    }

    public float[] Vectors { get; }

    public float* VectorBase { get; }

    public int[] Links { get; }

    public int* LinkBase { get; }

    public byte[] Levels { get; }

    public byte[] Deleted { get; }

    /// <summary>1 once the slot's links are in place (see <see cref="IndexState.Linked"/>).</summary>
    public byte[] Linked { get; }

    /// <summary>Links on layers 1..level for the few nodes that reach them: [count, M links] per layer.</summary>
    public int[]?[] Upper { get; }

    public string?[] Keys { get; }

    public IReadOnlyDictionary<string, EngineValue>?[] Metadata { get; }

    /// <summary>
    /// Per slot the UTC ticks a record expires at (0: never); allocated with the chunk's first expiring record, so an
    /// index without TTLs holds none and its searches never look.
    /// </summary>
    public long[]? Expiry { get; set; }

    /// <summary>Per slot the UTC ticks a record was soft-deleted at (0: not soft-deleted); allocated on first use.</summary>
    public long[]? DeletedAt { get; set; }
}
