using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using Theodore.Engine.Distances;

namespace Theodore.Engine.Graph;

/// <summary>
/// How a graph walk measures the distance from its query to a slot. A struct type parameter, so every walk is
/// specialized by the JIT and the hot loop has no dispatch.
/// </summary>
internal interface IWalk
{
    float To(int slot);

    /// <summary>Asks for every cache line the next <see cref="To"/> of this slot reads.</summary>
    void Prefetch(int slot);

    /// <summary>
    /// Asks for what <see cref="Prefetch"/> left out of a row a search will measure soon (nothing, where Prefetch
    /// asks for the whole row).
    /// </summary>
    void PrefetchRest(int slot);
}

/// <summary>A walk a build can link with: it also measures between two stored slots (neighbour selection).</summary>
internal interface IBuildWalk : IWalk
{
    /// <summary>The distance between two stored slots, in the same measure as <see cref="IWalk.To"/>.</summary>
    float Between(int a, int b);
}

/// <summary>Exact distances from a float query (searches, and builds where codes do not pay).</summary>
internal readonly unsafe struct ExactWalk<TMetric>(IndexState st, float* query) : IBuildWalk
    where TMetric : struct, IDistance
{
    /// <summary>A walk from a stored slot's own vector (a build).</summary>
    public static ExactWalk<TMetric> From(IndexState st, int slot) => new(st, st.Vector(slot));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Between(int a, int b) => TMetric.Distance(st.Vector(a), st.Vector(b), st.Stride);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float To(int slot) => TMetric.Distance(query, st.Vector(slot), st.Stride);

    // The first line only: whole-row prefetches of up to 32 float rows at once (49 lines each at 784-d) cost searches
    // 10-18 % of their QPS on Fashion-MNIST here; builds walk on codes, whose rows are a quarter the size.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int slot)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(st.Vector(slot));
        }
    }

    /// <summary>
    /// Asks for the lines of a row after its first. A search asks this for the row it will measure two after the
    /// current one (<see cref="Prefetch"/> fetched every first line already): one row in flight ahead of the distance
    /// loop, where asking for every row at once would flood the line fill buffers. At 1M x 384 it gained 3-6 % QPS at
    /// recall 0.95-0.99 (5 alternating rounds), at 100k 8 %.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void PrefetchRest(int slot)
    {
        byte* row = (byte*)st.Vector(slot);
        CacheLines.Prefetch(row + 64, row + st.VectorBytes);
    }
}

/// <summary>
/// Estimated distances between 8-bit codes (<see cref="ScalarCodes"/>): from a stored slot's own code (a build on
/// codes), or from a query's code (the walk of a quantized search, <see cref="VectorQuantization.Int8"/>). Prefetch
/// asks for the whole code row and its terms, a quarter of the lines an exact walk waits for, and every line of it: a
/// walk reads rows in random order, so the hardware prefetcher has no stream to follow. Holding the arena keeps it
/// alive for the walk even if the state releases it meanwhile.
/// </summary>
internal readonly unsafe struct CodedWalk<TMetric>(CodeArena codes, byte* query, CodeTerms terms) : IBuildWalk
    where TMetric : struct, ICodedDistance
{
    /// <summary>A walk from a stored slot's own code (a build).</summary>
    public static CodedWalk<TMetric> From(CodeArena codes, int slot) => new(codes, codes.Code(slot), codes.Terms(slot));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Between(int a, int b)
    {
        ref readonly var ta = ref codes.Terms(a);
        return TMetric.FromCodes(ta, codes.Terms(b), ScalarCodes.DotBytes(codes.Code(a), codes.Code(b), codes.Stride, (int)ta.Sum), codes.Dimension);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float To(int slot)
    {
        byte* row = codes.Code(slot);
        return TMetric.FromCodes(terms, CodeArena.TermsOf(row, codes.Stride), ScalarCodes.DotBytes(query, row, codes.Stride, (int)terms.Sum), codes.Dimension);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int slot)
    {
        byte* row = codes.Code(slot);
        CacheLines.Prefetch(row, row + codes.RowBytes);
    }

    // Prefetch asked for the whole row; fetching only first lines and the rest two rows ahead, as exact walks do,
    // measured slower on codes (1M x 384 int8: 9,776 against 10,949 QPS at ef 40).
    public void PrefetchRest(int slot)
    {
    }
}
