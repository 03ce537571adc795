namespace Theodore.Engine.Graph;

/// <summary>
/// A fixed block of slots. Each slot's vector (64-byte aligned, zero padded to the stride) and its layer-0 link block
/// ([count, 2M links], padded to a cache line) sit next to each other in one native block, as hnswlib keeps them: the
/// distance to a node streams its row, and the lines after the row, the links the walk reads when it later expands
/// that node, tend to arrive with it. An index whose searches walk on codes may keep its vectors apart instead, in a
/// file-backed block (<see cref="VectorIndexOptions.VectorFileDirectory"/>), and the links alone in memory. Beside them
/// the per-slot bookkeeping. Chunks never move, so growing the index never copies vectors or races with readers.
/// </summary>
internal sealed unsafe class NodeChunk
{
    private readonly NativeBlock _block;
    private readonly NativeBlock? _vectors;
    private readonly int _vectorStride;

    /// <summary>
    /// A chunk of <paramref name="size"/> slots laid out as <paramref name="layout"/> says; with file-backed vectors its
    /// links come from <paramref name="slabs"/>.
    /// </summary>
    public NodeChunk(int size, in SlotLayout layout, LinkSlabs slabs)
    {
        _vectorStride = layout.VectorStride;
        if (layout.VectorDirectory is { } directory)
        {
            _vectors = NativeBlock.MapFile(directory, (long)size * layout.VectorStride);
            (_block, long offset) = slabs.Take((long)size * layout.LinkStride);
            Vectors = _vectors.Pointer;
            Links = _block.Pointer + offset;
        }
        else
        {
            _block = NativeBlock.Allocate((long)size * layout.VectorStride);
            Vectors = _block.Pointer;
            Links = _block.Pointer + layout.LinkOffset;
        }

        Levels = new byte[size];
        Deleted = new byte[size];
        Linked = new byte[size];
        Upper = new int[]?[size];
        Keys = new string?[size];
        Metadata = new IReadOnlyDictionary<string, EngineValue>?[size];
    }

    /// <summary>Slot 0's vector; slot i's is <see cref="SlotLayout.VectorStride"/> bytes further per slot.</summary>
    public byte* Vectors { get; }

    /// <summary>Slot 0's layer-0 link block; slot i's is <see cref="SlotLayout.LinkStride"/> bytes further per slot.</summary>
    public byte* Links { get; }

    /// <summary>True when the vectors are in a file-backed block of their own.</summary>
    public bool VectorsMapped => _vectors?.IsFileBacked == true;

    /// <summary>See <see cref="NativeBlock.AdviseHugePages"/>: done once the index outgrows its first chunk.</summary>
    public void AdviseHugePages() => _block.AdviseHugePages();

    /// <summary>Takes the vectors of slots [0, <paramref name="slots"/>) out of the resident set (file-backed vectors only).</summary>
    public void ReleaseVectorPages(int slots) => _vectors?.ReleasePages((long)slots * _vectorStride);

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
