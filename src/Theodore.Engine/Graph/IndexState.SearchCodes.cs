namespace Theodore.Engine.Graph;

// The codes searches walk on: an int8 index's are the build's 8-bit codes, an int4 or binary index's an arena of their
// own, kept for the state's life (the memory win: a quarter or a 32nd of the 8-bit row, and builds' 8-bit codes
// still go at rest).
internal sealed unsafe partial class IndexState
{
    private CodeArena? _searchCodes;

    /// <summary>Whether searches walk on codes of their own, apart from builds' 8-bit ones (int4 and binary).</summary>
    public bool HasSearchCodes => Options.Quantization is VectorQuantization.Int4 or VectorQuantization.Binary;

    /// <summary>An int8 index's searches walk on the build's codes, which therefore stay at rest.</summary>
    private bool KeepsBuildCodes => Options.Quantization == VectorQuantization.Int8;

    /// <summary>
    /// The codes a quantized search walks on, built from the stored vectors on first use and kept from then on; the
    /// 8-bit codes for int8 (<see cref="Codes"/>).
    /// </summary>
    public CodeArena SearchCodes() =>
        !HasSearchCodes ? Codes() : Volatile.Read(ref _searchCodes) ?? Publish(ref _searchCodes, Options.Quantization);

    /// <summary>
    /// Builds an arena of <paramref name="kind"/> and publishes it in <paramref name="field"/> unless another thread
    /// did first. The codes of slots [0, n) are written outside the allocation lock (those vectors never change); the
    /// rest, and the publication, under it, after which Allocate encodes each new slot before publishing it.
    /// </summary>
    private CodeArena Publish(ref CodeArena? field, VectorQuantization kind)
    {
        lock (_codeLock)
        {
            var arena = Volatile.Read(ref field);
            if (arena is not null)
            {
                return arena;
            }

            arena = new CodeArena(kind, Dimension);
            int stored = Count;
            for (int slot = 0; slot < stored; slot++)
            {
                arena.Encode(slot, new ReadOnlySpan<float>(Vector(slot), Dimension));
            }

            lock (_allocLock)
            {
                for (int slot = stored; slot < _count; slot++)
                {
                    arena.Encode(slot, new ReadOnlySpan<float>(Vector(slot), Dimension));
                }

                if (kind == VectorQuantization.Int8)
                {
                    Volatile.Write(ref _linksOnCodes, 1);
                    _codeBuilds++;
                }

                Volatile.Write(ref field, arena);
            }

            ReleaseVectorPages();
            return arena;
        }
    }
}
