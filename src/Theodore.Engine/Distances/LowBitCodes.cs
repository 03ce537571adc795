using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Theodore.Engine.Distances;

/// <summary>
/// Per-vector 4-bit and 1-bit codes for the searches of <see cref="VectorQuantization.Int4"/> and
/// <see cref="VectorQuantization.Binary"/> indexes. Like <see cref="ScalarCodes"/>, component i is about
/// <see cref="CodeTerms.Offset"/> + <see cref="CodeTerms.Scale"/> * code[i], and the terms hold the sum of the codes and
/// of their squares, so the estimators of <see cref="ScalarCodes"/> apply unchanged. Estimates are asymmetric: the
/// query keeps its 8-bit code, and a kernel here computes the integer dot of that code with a stored low-bit row.
/// Two departures from the plain reading of the terms, both measured (ADR 0021): a low-bit row's offset and scale carry
/// a correction that makes its dot estimates exact along the vector itself (<see cref="Terms"/>), and its
/// <see cref="CodeTerms.SumOfSquares"/> is not the sum of its codes' squares but the value that makes the terms give
/// the vector's exact squared norm (<see cref="NormTerm"/>). The squared L2 estimate then errs only by the dot
/// product's error; with the codes' own squares it would also carry each row's reconstruction error, which for binary
/// codes is about a third of the vector's squared norm and varies by row.
/// </summary>
internal static unsafe class LowBitCodes
{
    /// <summary>The power of the along-vector correction binary rows take (<see cref="Terms"/>).</summary>
    private const double BinaryCorrection = 0.5;

    /// <summary>Bytes of a packed 4-bit row: the dimension rounded up to 64, two components a byte.</summary>
    public static int Int4Stride(int dimension) => ScalarCodes.Stride(dimension) / 2;

    /// <summary>Bytes of a binary row: the dimension rounded up to 64 bits.</summary>
    public static int BinaryStride(int dimension) => ((dimension + 63) / 64) * 8;

    /// <summary>Bytes of one bit plane of a binary query: the binary stride rounded up to a 64-byte vector.</summary>
    public static int PlaneStride(int binaryStride) => (binaryStride + 63) & ~63;

    /// <summary>
    /// 16 levels over the vector's own minimum..maximum. Component i of block b = i / 64 sits in byte b * 32 + i % 32,
    /// in the low nibble for i % 64 below 32 and in the high nibble otherwise, so one 32-byte load holds 64 components
    /// whose 8-bit query counterparts are two contiguous 32-byte loads. The row is zeroed first (padding adds nothing).
    /// </summary>
    public static CodeTerms EncodeInt4(ReadOnlySpan<float> vector, byte* code)
    {
        new Span<byte>(code, Int4Stride(vector.Length)).Clear();
        var (min, scale, inverse) = ScalarCodes.Levels(vector, 15);
        int sum = 0;
        int squares = 0;
        double norm = 0, total = 0, weighted = 0;
        for (int i = 0; i < vector.Length; i++)
        {
            int c = Math.Clamp((int)MathF.Round((vector[i] - min) * inverse), 0, 15);
            int j = i & 63;
            code[((i >> 6) * 32) + (j & 31)] |= (byte)(j < 32 ? c : c << 4);
            sum += c;
            squares += c * c;
            norm += (double)vector[i] * vector[i];
            total += vector[i];
            weighted += c * (double)vector[i];
        }

        return Terms(vector.Length, min, scale, sum, squares, norm, (min * total) + (scale * weighted), 1.0);
    }

    /// <summary>
    /// One bit per component (bit i of little-endian word i / 64), set where the component is above a threshold: the
    /// vector's mean, moved by up to three Lloyd steps to the midpoint of the means of the two sides it splits. Offset
    /// is the mean of the components at or below it and Offset + Scale the mean of those above (for a split, the two
    /// levels with the least squared error), both then scaled by the square root of the along-vector correction (see
    /// <see cref="Terms"/>). A constant vector has no bit set and is reproduced exactly.
    /// </summary>
    public static CodeTerms EncodeBinary(ReadOnlySpan<float> vector, byte* code)
    {
        var words = new Span<ulong>(code, BinaryStride(vector.Length) / 8);
        words.Clear();
        double threshold = 0;
        foreach (float x in vector)
        {
            threshold += x;
        }

        threshold /= vector.Length;
        for (int step = 0; step < 3; step++)
        {
            var (low, high, above) = Split(vector, threshold);
            int below = vector.Length - above;
            double moved = below == 0 || above == 0 ? threshold : ((low / below) + (high / above)) / 2;
            if (moved == threshold)
            {
                break;
            }

            threshold = moved;
        }

        double norm = 0;
        int set = 0;
        for (int i = 0; i < vector.Length; i++)
        {
            norm += (double)vector[i] * vector[i];
            if (vector[i] > threshold)
            {
                words[i >> 6] |= 1UL << (i & 63);
                set++;
            }
        }

        var (lowSum, highSum, _) = Split(vector, threshold);
        int clear = vector.Length - set;
        float offset = clear > 0 ? (float)(lowSum / clear) : (float)threshold;
        float scale = set > 0 ? (float)(highSum / set) - offset : 0f;
        return Terms(vector.Length, offset, scale, set, set, norm, (offset * (lowSum + highSum)) + (scale * highSum), BinaryCorrection);
    }

    // The sums of the components at or below the threshold and above it, and how many are above.
    private static (double Low, double High, int Above) Split(ReadOnlySpan<float> vector, double threshold)
    {
        double low = 0, high = 0;
        int above = 0;
        foreach (float x in vector)
        {
            if (x > threshold)
            {
                high += x;
                above++;
            }
            else
            {
                low += x;
            }
        }

        return (low, high, above);
    }

    /// <summary>
    /// The terms of a low-bit code whose reconstruction x̂ (offset + scale * code) has the dot product
    /// <paramref name="alongVector"/> with the vector x. Offset and scale are both multiplied by (|x|² / (x̂ · x)) to
    /// the <paramref name="power"/>. At power 1 the estimate of q · x is exact for the part of q along x and errs only
    /// by q's part across it, scaled up by the same factor (the correction of RaBitQ's estimator): without it, a near
    /// neighbour's dot is underestimated by the row's own reconstruction error, a different amount for every row.
    /// Int4 takes it whole; binary codes, whose reconstruction error is large and, on uncentred data like
    /// Fashion-MNIST, correlated with what tells neighbours apart, take its square root (measured best; ADR 0021).
    /// Rows whose reconstruction is orthogonal to them or opposed keep their terms.
    /// </summary>
    private static CodeTerms Terms(int dimension, float offset, float scale, int sum, int squares, double norm, double alongVector, double power)
    {
        double factor = alongVector > 1e-6 * norm && norm > 0 ? Math.Pow(norm / alongVector, power) : 1.0;
        float o = (float)(offset * factor), s = (float)(scale * factor);
        return new CodeTerms(o, s, sum, NormTerm(dimension, o, s, sum, squares, norm));
    }

    /// <summary>
    /// The <see cref="CodeTerms.SumOfSquares"/> for which dimension * offset² + 2 * offset * scale * sum + scale² *
    /// SumOfSquares (the squared norm the terms describe) is <paramref name="norm"/>, the vector's exact squared norm;
    /// the codes' own <paramref name="squares"/> when the scale is 0 (a constant vector, reproduced exactly).
    /// </summary>
    public static float NormTerm(int dimension, float offset, float scale, int sum, int squares, double norm)
    {
        if (scale == 0)
        {
            return squares;
        }

        double rest = norm - (dimension * (double)offset * offset) - (2.0 * offset * scale * sum);
        return (float)(rest / ((double)scale * scale));
    }

    /// <summary>
    /// Splits an 8-bit query code of <paramref name="dimension"/> components into its 8 bit planes: plane j (at
    /// <paramref name="planes"/> + j * <see cref="PlaneStride"/>) has bit i set where bit j of code[i] is, zero padded.
    /// </summary>
    public static void SplitPlanes(byte* code, int dimension, byte* planes, int planeStride)
    {
        new Span<byte>(planes, 8 * planeStride).Clear();
        for (int i = 0; i < dimension; i++)
        {
            int c = code[i];
            while (c != 0)
            {
                int j = BitOperations.TrailingZeroCount(c);
                ((ulong*)(planes + (j * planeStride)))[i >> 6] |= 1UL << (i & 63);
                c &= c - 1;
            }
        }
    }

    /// <summary>Σ query[i] * x[i] of an 8-bit query code and a packed 4-bit row of <paramref name="stride"/> bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DotInt4(byte* query, byte* row, int stride)
    {
        if (AvxVnni.IsSupported)
        {
            return DotInt4Vnni(query, row, stride);
        }

        return Avx2.IsSupported ? DotInt4Avx2(query, row, stride) : DotInt4Scalar(query, row, stride);
    }

    /// <summary>
    /// VNNI multiplies unsigned by signed bytes and adds them in fours: the query's bytes are the unsigned side and
    /// the nibbles (0-15) are already valid signed bytes, so, unlike <see cref="ScalarCodes.DotBytes"/>, nothing is
    /// shifted and added back.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DotInt4Vnni(byte* query, byte* row, int stride)
    {
        var s0 = Vector256<int>.Zero;
        var s1 = Vector256<int>.Zero;
        var nibble = Vector256.Create((byte)0x0F);
        for (int b = 0; b < stride; b += 32)
        {
            var packed = Vector256.Load(row + b);
            var low = (packed & nibble).AsSByte();
            var high = (Vector256.ShiftRightLogical(packed.AsUInt16(), 4).AsByte() & nibble).AsSByte();
            s0 = AvxVnni.MultiplyWideningAndAdd(s0, Vector256.Load(query + (2 * b)), low);
            s1 = AvxVnni.MultiplyWideningAndAdd(s1, Vector256.Load(query + (2 * b) + 32), high);
        }

        return Vector256.Sum(s0 + s1);
    }

    /// <summary>
    /// AVX2: unsigned query bytes times signed nibbles summed in pairs to shorts (at most 2 * 255 * 15, no saturation),
    /// then in pairs again to ints.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DotInt4Avx2(byte* query, byte* row, int stride)
    {
        var s0 = Vector256<int>.Zero;
        var s1 = Vector256<int>.Zero;
        var nibble = Vector256.Create((byte)0x0F);
        var ones = Vector256.Create((short)1);
        for (int b = 0; b < stride; b += 32)
        {
            var packed = Vector256.Load(row + b);
            var low = (packed & nibble).AsSByte();
            var high = (Vector256.ShiftRightLogical(packed.AsUInt16(), 4).AsByte() & nibble).AsSByte();
            s0 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(Vector256.Load(query + (2 * b)), low), ones);
            s1 += Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(Vector256.Load(query + (2 * b) + 32), high), ones);
        }

        return Vector256.Sum(s0 + s1);
    }

    public static int DotInt4Scalar(byte* query, byte* row, int stride)
    {
        int sum = 0;
        for (int b = 0; b < stride; b += 32)
        {
            byte* q = query + (2 * b);
            for (int j = 0; j < 32; j++)
            {
                int packed = row[b + j];
                sum += (q[j] * (packed & 0x0F)) + (q[j + 32] * (packed >> 4));
            }
        }

        return sum;
    }

    /// <summary>
    /// Σ query[i] over the set bits of a binary row of <paramref name="stride"/> bytes = Σ_j 2^j popcount(plane_j AND
    /// row), with the query's planes from <see cref="SplitPlanes"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DotBinary(byte* planes, byte* row, int stride) =>
        Avx512BW.IsSupported ? DotBinaryAvx512(planes, row, stride) : DotBinaryScalar(planes, row, stride);

    /// <summary>
    /// AVX-512BW, 64 bytes at a time (.NET 10 has no VPOPCNTDQ intrinsic): each byte's popcount from a 16-entry table
    /// per nibble (VPSHUFB); planes 0-3 and 4-7 are weighted and added in bytes (at most 8 * 15 = 120, no carry), then
    /// summed per 64 bits (VPSADBW). The last load may run past the row's code into its terms and padding (a
    /// <see cref="Graph.CodeArena"/> row is whole cache lines that hold both): the query's planes are zero there, so
    /// those bits count nothing.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int DotBinaryAvx512(byte* planes, byte* row, int stride)
    {
        int planeStride = PlaneStride(stride);
        var table = Vector128.Create((byte)0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4);
        var lut = Vector512.Create(Vector256.Create(table, table), Vector256.Create(table, table));
        var nibble = Vector512.Create((byte)0x0F);
        var sum = Vector512<ulong>.Zero;
        for (int b = 0; b < planeStride; b += 64)
        {
            var x = Vector512.Load(row + b);
            byte* p = planes + b;
            var low = Count(x & Vector512.Load(p), lut, nibble)
                + Weighted(Count(x & Vector512.Load(p + planeStride), lut, nibble), 1)
                + Weighted(Count(x & Vector512.Load(p + (2 * planeStride)), lut, nibble), 2)
                + Weighted(Count(x & Vector512.Load(p + (3 * planeStride)), lut, nibble), 3);
            var high = Count(x & Vector512.Load(p + (4 * planeStride)), lut, nibble)
                + Weighted(Count(x & Vector512.Load(p + (5 * planeStride)), lut, nibble), 1)
                + Weighted(Count(x & Vector512.Load(p + (6 * planeStride)), lut, nibble), 2)
                + Weighted(Count(x & Vector512.Load(p + (7 * planeStride)), lut, nibble), 3);
            sum += Avx512BW.SumAbsoluteDifferences(low, Vector512<byte>.Zero).AsUInt64()
                + (Avx512BW.SumAbsoluteDifferences(high, Vector512<byte>.Zero).AsUInt64() << 4);
        }

        return (int)Vector512.Sum(sum);

        static Vector512<byte> Count(Vector512<byte> v, Vector512<byte> lut, Vector512<byte> nibble) =>
            Avx512BW.Shuffle(lut, v & nibble) + Avx512BW.Shuffle(lut, Vector512.ShiftRightLogical(v.AsUInt16(), 4).AsByte() & nibble);

        // Byte counts of at most 8 shifted by at most 3 stay below 128, so no bit crosses into the next byte.
        static Vector512<byte> Weighted(Vector512<byte> counts, int shift) => Vector512.ShiftLeft(counts.AsUInt16(), shift).AsByte();
    }

    public static int DotBinaryScalar(byte* planes, byte* row, int stride)
    {
        int planeStride = PlaneStride(stride);
        int sum = 0;
        for (int w = 0; w < stride / 8; w++)
        {
            ulong x = ((ulong*)row)[w];
            for (int j = 0; j < 8; j++)
            {
                sum += BitOperations.PopCount(((ulong*)(planes + (j * planeStride)))[w] & x) << j;
            }
        }

        return sum;
    }
}
