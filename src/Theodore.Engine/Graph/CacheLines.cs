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

    /// <summary><paramref name="bytes"/> rounded up to whole 64-byte lines.</summary>
    public static int Whole(int bytes) => (bytes + 63) & ~63;

    /// <summary>
    /// The smallest multiple of 16 at or above <paramref name="bytes"/> at which rows packed back to back in a
    /// line-aligned block never span more cache lines than rows padded to whole lines would (M 16 link blocks: 144
    /// bytes for 132, not 192; a 384-d 8-bit code and its terms: 400 for 400, not 448). The gap a row's first line
    /// leaves is then never bigger than the padding its last line would have had, so <see cref="Prefetch"/> from a
    /// row's start still reaches its last line.
    /// </summary>
    public static int TightStride(int bytes)
    {
        int padded = Whole(bytes);
        for (int stride = (bytes + 15) & ~15; stride < padded; stride += 16)
        {
            bool fits = true;
            for (int row = 0; row < 64 && fits; row++)
            {
                fits = ((row * stride) % 64) + bytes <= padded;
            }

            if (fits)
            {
                return stride;
            }
        }

        return padded;
    }
}
