using System.Runtime.CompilerServices;
using Theodore.Engine.Distances;

namespace Theodore.Engine.Graph;

/// <summary>The integer dot of a query's code (in the form the kernel wants) with a stored low-bit row.</summary>
internal unsafe interface ILowBitKernel
{
    static abstract int Dot(byte* query, byte* row, int stride);
}

/// <summary>An 8-bit query code against a packed 4-bit row.</summary>
internal readonly unsafe struct Int4Kernel : ILowBitKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(byte* query, byte* row, int stride) => LowBitCodes.DotInt4(query, row, stride);
}

/// <summary>The bit planes of an 8-bit query code against a binary row.</summary>
internal readonly unsafe struct BinaryKernel : ILowBitKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Dot(byte* query, byte* row, int stride) => LowBitCodes.DotBinary(query, row, stride);
}

/// <summary>
/// The walk of an int4 or binary search: estimates from the query's 8-bit code (<paramref name="terms"/>; for binary,
/// <paramref name="query"/> is its bit planes) against each slot's low-bit row, with <see cref="ScalarCodes"/>'s
/// estimators. Search only: builds link on 8-bit codes or floats (<see cref="IBuildWalk"/>). Prefetch asks for the
/// whole row, one or a few cache lines.
/// </summary>
internal readonly unsafe struct LowBitWalk<TMetric, TKernel>(CodeArena codes, byte* query, CodeTerms terms) : IWalk
    where TMetric : struct, ICodedDistance
    where TKernel : struct, ILowBitKernel
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public float To(int slot)
    {
        byte* row = codes.Code(slot);
        return TMetric.FromCodes(terms, CodeArena.TermsOf(row, codes.Stride), TKernel.Dot(query, row, codes.Stride), codes.Dimension);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(int slot)
    {
        byte* row = codes.Code(slot);
        CacheLines.Prefetch(row, row + codes.RowBytes);
    }

    public void PrefetchRest(int slot)
    {
    }
}
