using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Theodore.Engine.Distances;

/// <summary>
/// What a vector's 8-bit code needs besides its bytes: component i is about <see cref="Offset"/> +
/// <see cref="Scale"/> * code[i], and the sums of the codes and of their squares, so that a dot product or a squared
/// L2 distance between two codes needs only the integer dot product of their bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal readonly record struct CodeTerms(float Offset, float Scale, float Sum, float SumOfSquares);

/// <summary>
/// Per-vector 8-bit scalar codes, used only to walk the graph while building it (the neighbours a build keeps are
/// chosen on exact distances). Each vector is quantized over its own minimum and maximum, so nothing is trained and
/// nothing drifts as data arrives; a code is a quarter of the vector's bytes, so a walk waits for a quarter of the
/// cache lines. Codes are rebuilt from the vectors whenever a state is built; they are never stored on disk.
/// </summary>
internal static unsafe class ScalarCodes
{
    /// <summary>Bytes per code: the dimension rounded up to 64 and zero padded (zero codes add nothing to a dot).</summary>
    public static int Stride(int dimension) => (dimension + 63) & ~63;

    /// <summary>
    /// Whether builds of this dimension walk on codes: only where the integer kernel is vectorized, and only from 64
    /// components, below which a float vector spans at most four cache lines and a padded code would save little.
    /// </summary>
    public static bool Pay(int dimension) => dimension >= 64 && (Avx512BW.IsSupported || Avx2.IsSupported);

    public static CodeTerms Encode(ReadOnlySpan<float> vector, byte* code)
    {
        var (min, scale, inverse) = Levels(vector, 255);
        int sum = 0;
        long squares = 0;
        for (int i = 0; i < vector.Length; i++)
        {
            int c = Math.Clamp((int)MathF.Round((vector[i] - min) * inverse), 0, 255);
            code[i] = (byte)c;
            sum += c;
            squares += c * c;
        }

        return new CodeTerms(min, scale, sum, squares);
    }

    /// <summary>
    /// The vector's own minimum and the step between <paramref name="top"/> + 1 evenly spaced levels up to its maximum
    /// (0 for a constant vector), with the step's inverse; what every per-vector scalar code quantizes over.
    /// </summary>
    public static (float Min, float Scale, float Inverse) Levels(ReadOnlySpan<float> vector, int top)
    {
        float min = float.PositiveInfinity;
        float max = float.NegativeInfinity;
        foreach (float x in vector)
        {
            min = Math.Min(min, x);
            max = Math.Max(max, x);
        }

        float scale = max > min ? (max - min) / top : 0f;
        return (min, scale, scale > 0 ? 1f / scale : 0f);
    }

    /// <summary>The approximate dot product of two encoded vectors of <paramref name="dimension"/> components.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(in CodeTerms a, in CodeTerms b, int codeDot, int dimension) =>
        (dimension * a.Offset * b.Offset) + (a.Offset * b.Scale * b.Sum) + (b.Offset * a.Scale * a.Sum) + (a.Scale * b.Scale * codeDot);

    /// <summary>The approximate squared L2 distance, expanded so that offsets cancel before the large terms meet.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquaredL2(in CodeTerms a, in CodeTerms b, int codeDot, int dimension)
    {
        float shift = a.Offset - b.Offset;
        float d = (dimension * shift * shift) + (2f * shift * ((a.Scale * a.Sum) - (b.Scale * b.Sum)))
            + (a.Scale * a.Scale * a.SumOfSquares) + (b.Scale * b.Scale * b.SumOfSquares) - (2f * a.Scale * b.Scale * codeDot);
        return Math.Max(d, 0f);
    }

    /// <summary>
    /// The integer dot product of two codes; <paramref name="length"/> is a multiple of 64 and
    /// <paramref name="sumOfA"/> is the sum of <paramref name="a"/>'s bytes (<see cref="CodeTerms.Sum"/>). With VNNI,
    /// one instruction multiplies unsigned by signed bytes and adds them in fours: <paramref name="b"/>'s bytes are
    /// shifted into signed range by flipping their top bit (b - 128), and 128 * sum(a) adds the shift back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DotBytes(byte* a, byte* b, int length, int sumOfA)
    {
        if (AvxVnni.IsSupported)
        {
            var s0 = Vector256<int>.Zero;
            var s1 = Vector256<int>.Zero;
            var flip = Vector256.Create((byte)0x80);
            for (int i = 0; i < length; i += 64)
            {
                s0 = AvxVnni.MultiplyWideningAndAdd(s0, Vector256.Load(a + i), (Vector256.Load(b + i) ^ flip).AsSByte());
                s1 = AvxVnni.MultiplyWideningAndAdd(s1, Vector256.Load(a + i + 32), (Vector256.Load(b + i + 32) ^ flip).AsSByte());
            }

            return Vector256.Sum(s0 + s1) + (128 * sumOfA);
        }

        if (Avx512BW.IsSupported)
        {
            var s0 = Vector512<int>.Zero;
            var s1 = Vector512<int>.Zero;
            for (int i = 0; i < length; i += 64)
            {
                var (al, ah) = Vector512.Widen(Vector512.Load(a + i));
                var (bl, bh) = Vector512.Widen(Vector512.Load(b + i));
                s0 += Avx512BW.MultiplyAddAdjacent(al.AsInt16(), bl.AsInt16());
                s1 += Avx512BW.MultiplyAddAdjacent(ah.AsInt16(), bh.AsInt16());
            }

            return Vector512.Sum(s0 + s1);
        }

        if (Avx2.IsSupported)
        {
            var s0 = Vector256<int>.Zero;
            var s1 = Vector256<int>.Zero;
            for (int i = 0; i < length; i += 32)
            {
                var (al, ah) = Vector256.Widen(Vector256.Load(a + i));
                var (bl, bh) = Vector256.Widen(Vector256.Load(b + i));
                s0 += Avx2.MultiplyAddAdjacent(al.AsInt16(), bl.AsInt16());
                s1 += Avx2.MultiplyAddAdjacent(ah.AsInt16(), bh.AsInt16());
            }

            return Vector256.Sum(s0 + s1);
        }

        int sum = 0;
        for (int i = 0; i < length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }
}
