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
    /// <summary>The distance between two stored slots, in the same measure as <see cref="To"/>.</summary>
    float Between(int a, int b);

    float To(int slot);

    /// <summary>Asks for every cache line the next <see cref="To"/> of this slot reads.</summary>
    void Prefetch(int slot);
}

/// <summary>Exact distances from a float query (searches, and builds where codes do not pay).</summary>
internal readonly unsafe struct ExactWalk<TMetric>(IndexState st, float* query) : IWalk
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
}

/// <summary>
/// Estimated distances between 8-bit codes (<see cref="ScalarCodes"/>), from a stored slot's own code. Holding the
/// arena keeps it alive for the walk even if the state releases it meanwhile.
/// </summary>
internal readonly unsafe struct CodedWalk<TMetric>(CodeArena codes, int slot) : IWalk
    where TMetric : struct, ICodedDistance
{
    private readonly byte* _code = codes.Code(slot);
    private readonly CodeTerms _terms = codes.Terms(slot);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float Between(int a, int b)
    {
        ref readonly var ta = ref codes.Terms(a);
        return TMetric.FromCodes(ta, codes.Terms(b), ScalarCodes.DotBytes(codes.Code(a), codes.Code(b), codes.Stride, (int)ta.Sum), codes.Dimension);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float To(int slot) =>
        TMetric.FromCodes(_terms, codes.Terms(slot), ScalarCodes.DotBytes(_code, codes.Code(slot), codes.Stride, (int)_terms.Sum), codes.Dimension);

    // Every line of the row, not only the first: a walk reads rows in random order, so the hardware prefetcher has no
    // stream to follow and a row would otherwise arrive one line at a time.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int slot)
    {
        if (!Sse.IsSupported)
        {
            return;
        }

        byte* row = codes.Code(slot);
        for (byte* end = row + codes.Stride; row < end; row += 64)
        {
            Sse.Prefetch0(row);
        }
    }
}
