using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Theodore.Engine.Graph;

/// <summary>Software prefetch of a row's cache lines, for the walks and scans that read rows in random order.</summary>
internal static unsafe class CacheLines
{
    /// <summary>Asks for every 64-byte line of [<paramref name="start"/>, <paramref name="end"/>) (nothing without SSE).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Prefetch(byte* start, byte* end)
    {
        if (Sse.IsSupported)
        {
            for (byte* line = start; line < end; line += 64)
            {
                Sse.Prefetch0(line);
            }
        }
    }
}
