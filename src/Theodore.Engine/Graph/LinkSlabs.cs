namespace Theodore.Engine.Graph;

/// <summary>
/// Where chunks with file-backed vectors keep their layer-0 links. Such a chunk's links alone are small (4,096 slots
/// of 144 bytes at M 16: 576 KB), under one huge page, so a block per chunk would never get huge pages and a walk on
/// codes would miss the TLB at nearly every expansion. The first chunk keeps a block of its own, so a small index pays
/// only for its own links; later chunks take consecutive pieces of shared blocks of <see cref="SlabBytes"/>, which the
/// state advises like any chunk's block from the second chunk on (<see cref="NodeChunk.AdviseHugePages"/>). Pieces are
/// never returned: a block lives as long as a chunk that uses it (chunks never move). Called under the state's
/// allocation lock, once per chunk in order.
/// </summary>
internal sealed class LinkSlabs
{
    /// <summary>Bytes of a shared block: four huge pages.</summary>
    public const long SlabBytes = 4L * NativeBlock.HugePage;

    private bool _first = true;
    private NativeBlock? _slab;
    private long _used;

    /// <summary>A block for the next chunk's <paramref name="bytes"/> of links, and where they start in it.</summary>
    public (NativeBlock Block, long Offset) Take(long bytes)
    {
        if (_first || bytes * 2 > SlabBytes)
        {
            _first = false;
            return (NativeBlock.Allocate(bytes), 0);
        }

        long piece = (bytes + 63) & ~63L;
        if (_slab is null || _used + piece > SlabBytes)
        {
            _slab = NativeBlock.Allocate(SlabBytes);
            _used = 0;
        }

        long offset = _used;
        _used += piece;
        return (_slab, offset);
    }
}
