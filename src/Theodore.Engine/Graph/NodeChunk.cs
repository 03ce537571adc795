namespace Theodore.Engine.Graph;

/// <summary>
/// A fixed block of slots. Each slot's vector (64-byte aligned, zero padded to the stride) and its layer-0 link block
/// ([count, 2M links], padded to a cache line) sit next to each other in one native block, as hnswlib keeps them: the
/// distance to a node streams its row, and the lines after the row, the links the walk reads when it later expands
/// that node, tend to arrive with it. Beside it the per-slot bookkeeping. Chunks never move, so growing the index never
/// copies vectors or races with readers.
/// </summary>
internal sealed unsafe class NodeChunk
{
    private readonly NativeBlock _block;

    public NodeChunk(int size, int slotBytes)
    {
        _block = NativeBlock.Allocate((long)size * slotBytes);
        Base = _block.Pointer;
        Levels = new byte[size];
        Deleted = new byte[size];
        Linked = new byte[size];
        Upper = new int[]?[size];
        Keys = new string?[size];
        Metadata = new IReadOnlyDictionary<string, EngineValue>?[size];
    }

    /// <summary>The first slot's vector; slot i's vector is at i * slot bytes, its layer-0 links right after it.</summary>
    public byte* Base { get; }

    /// <summary>See <see cref="NativeBlock.AdviseHugePages"/>: done once the index outgrows its first chunk.</summary>
    public void AdviseHugePages() => _block.AdviseHugePages();

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
