using System.Runtime.Intrinsics.X86;
using Theodore.Engine.Distances;
using Theodore.Engine.Graph;

namespace Theodore.Engine.Tests;

/// <summary>
/// The 4-bit and 1-bit codes of int4 and binary searches: the encoders against a plain reading of their layout, every
/// kernel path against the plain sum, and the error of the asymmetric estimates (8-bit query, low-bit row).
/// </summary>
public sealed unsafe class LowBitCodeTests
{
    public static TheoryData<int> Dimensions => [1, 31, 63, 64, 65, 100, 384, 784, 1000];

    [Theory]
    [MemberData(nameof(Dimensions))]
    public void Int4_kernels_match_the_plain_sum_of_query_bytes_times_nibbles(int dimension)
    {
        var random = new Random(dimension);
        var row = Row(VectorQuantization.Int4, dimension, out byte* x);
        var query = Query(dimension, out byte* q);
        var vector = TestData.Gaussian(random, dimension, 1);
        var terms = LowBitCodes.EncodeInt4(vector, x);
        random.NextBytes(query.AsSpan(0, dimension));
        query[0] = 255;

        var codes = Int4Codes(x, dimension);
        Assert.Equal(terms.Sum, codes.Sum());
        AssertDescribesTheNorm(terms, vector);
        if (dimension > 1)
        {
            Assert.Contains(15, codes);
            Assert.Contains(0, codes);
        }
        long expected = 0;
        for (int i = 0; i < dimension; i++)
        {
            expected += query[i] * codes[i];
        }

        int stride = LowBitCodes.Int4Stride(dimension);
        Assert.Equal(expected, LowBitCodes.DotInt4Scalar(q, x, stride));
        Assert.Equal(expected, LowBitCodes.DotInt4(q, x, stride));
        if (Avx2.IsSupported)
        {
            Assert.Equal(expected, LowBitCodes.DotInt4Avx2(q, x, stride));
        }

        if (AvxVnni.IsSupported)
        {
            Assert.Equal(expected, LowBitCodes.DotInt4Vnni(q, x, stride));
        }

        GC.KeepAlive(row);
    }

    [Theory]
    [MemberData(nameof(Dimensions))]
    public void Binary_kernels_match_the_plain_sum_of_query_bytes_over_set_bits(int dimension)
    {
        var random = new Random(dimension + 1);
        var row = Row(VectorQuantization.Binary, dimension, out byte* x);
        var vector = TestData.Gaussian(random, dimension, 1);
        var terms = LowBitCodes.EncodeBinary(vector, x);
        int stride = LowBitCodes.BinaryStride(dimension);

        // Whatever follows the code in its row (terms, padding) must not count: fill it with ones.
        new Span<byte>(x + stride, row.Length - 64 - stride).Fill(0xFF);
        var query = Query(dimension, out byte* q);
        random.NextBytes(query.AsSpan(0, dimension));
        var planeBuffer = new byte[(8 * LowBitCodes.PlaneStride(stride)) + 64];
        fixed (byte* pb = planeBuffer)
        {
            byte* planes = (byte*)(((nint)pb + 63) & ~(nint)63);
            LowBitCodes.SplitPlanes(q, dimension, planes, LowBitCodes.PlaneStride(stride));

            long expected = 0;
            int set = 0;
            float highestClear = float.NegativeInfinity, lowestSet = float.PositiveInfinity;
            for (int i = 0; i < dimension; i++)
            {
                bool bit = (x[i >> 3] & (1 << (i & 7))) != 0;
                expected += bit ? query[i] : 0;
                set += bit ? 1 : 0;
                highestClear = bit ? highestClear : Math.Max(highestClear, vector[i]);
                lowestSet = bit ? Math.Min(lowestSet, vector[i]) : lowestSet;
            }

            // The bits split the components at a threshold: every set one is above every clear one.
            Assert.True(highestClear < lowestSet);

            Assert.Equal(set, terms.Sum);
            AssertDescribesTheNorm(terms, vector);
            Assert.Equal(expected, LowBitCodes.DotBinaryScalar(planes, x, stride));
            Assert.Equal(expected, LowBitCodes.DotBinary(planes, x, stride));
            if (Avx512BW.IsSupported)
            {
                Assert.Equal(expected, LowBitCodes.DotBinaryAvx512(planes, x, stride));
            }

            // All ones against a full query: 255 per component, nothing from the padding.
            new Span<byte>(x, stride).Clear();
            for (int i = 0; i < dimension; i++)
            {
                x[i >> 3] |= (byte)(1 << (i & 7));
                q[i] = 255;
            }

            LowBitCodes.SplitPlanes(q, dimension, planes, LowBitCodes.PlaneStride(stride));
            Assert.Equal(255 * dimension, LowBitCodes.DotBinaryScalar(planes, x, stride));
            Assert.Equal(255 * dimension, LowBitCodes.DotBinary(planes, x, stride));
        }

        GC.KeepAlive(row);
    }

    [Fact]
    public void Binary_levels_are_the_means_of_the_two_halves_scaled_and_a_constant_vector_is_exact()
    {
        var row = Row(VectorQuantization.Binary, 10, out byte* x);
        var terms = LowBitCodes.EncodeBinary([1f, 2f, 5f, 8f], x);
        Assert.Equal(0b1100, x[0]);

        // Levels 1.5 and 6.5, both scaled by sqrt(|x|² / (x̂ · x)) = sqrt(94 / 89).
        float factor = MathF.Sqrt(94f / 89f);
        Assert.Equal(1.5f * factor, terms.Offset, 1e-5f);
        Assert.Equal(5f * factor, terms.Scale, 1e-5f);
        AssertDescribesTheNorm(terms, [1f, 2f, 5f, 8f]);

        // The mean (1.3) would set the 3 too; Lloyd steps move the threshold to 5.17, between the sides' means.
        terms = LowBitCodes.EncodeBinary([0f, 0f, 0f, 0f, 0f, 0f, 0f, 0f, 3f, 10f], x);
        Assert.Equal(0, x[0]);
        Assert.Equal(0b10, x[1]);
        Assert.Equal(1, terms.Sum);

        terms = LowBitCodes.EncodeBinary([0.25f, 0.25f, 0.25f, 0.25f], x);
        Assert.Equal(0, x[0]);
        Assert.Equal(0.25f, terms.Offset);
        Assert.Equal(0f, terms.Scale);
        GC.KeepAlive(row);
    }

    /// <summary>
    /// The spread (standard deviation) of the error of the estimated dot product and squared L2 distance against the
    /// float ones, over unit vectors of 384 components (as cosine indexes store them), for unrelated pairs and for near
    /// neighbours (a query that is its row plus a little noise, what a walk's last steps compare): each kind within its
    /// bound. The bounds are about twice what was measured (see the data rows).
    /// </summary>
    [Theory]
    [InlineData(VectorQuantization.Int8, false, 0.001, 0.003)] // measured 0.0005, 0.0014
    [InlineData(VectorQuantization.Int4, false, 0.012, 0.024)] // 0.0059, 0.0118
    [InlineData(VectorQuantization.Binary, false, 0.065, 0.13)] // 0.032, 0.064
    [InlineData(VectorQuantization.Int8, true, 0.001, 0.001)] // 0.0005, 0.0003
    [InlineData(VectorQuantization.Int4, true, 0.004, 0.008)] // 0.0017, 0.0035
    [InlineData(VectorQuantization.Binary, true, 0.025, 0.05)] // 0.012, 0.024
    public void Asymmetric_estimates_stay_within_each_kinds_error_bound(VectorQuantization kind, bool near, double dotBound, double l2Bound)
    {
        var (dot, l2) = EstimateErrors(kind, 384, seed: 5, near);
        Assert.True(dot < dotBound, $"{kind} near={near}: dot error spread {dot:F4}, squared L2 {l2:F4}");
        Assert.True(l2 < l2Bound, $"{kind} near={near}: dot error spread {dot:F4}, squared L2 {l2:F4}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Fewer_bits_estimate_worse(bool near)
    {
        var int8 = EstimateErrors(VectorQuantization.Int8, 384, seed: 6, near);
        var int4 = EstimateErrors(VectorQuantization.Int4, 384, seed: 6, near);
        var binary = EstimateErrors(VectorQuantization.Binary, 384, seed: 6, near);
        Assert.True(int8.Dot < int4.Dot && int4.Dot < binary.Dot, $"{int8.Dot:F4} {int4.Dot:F4} {binary.Dot:F4}");
        Assert.True(int8.L2 < int4.L2 && int4.L2 < binary.L2, $"{int8.L2:F4} {int4.L2:F4} {binary.L2:F4}");
    }

    [Fact]
    public void Rows_hold_the_code_and_its_terms_packed_without_costing_a_cache_line()
    {
        Assert.Equal(ScalarCodes.Stride(384) + 16, CodeArena.RowBytesOf(VectorQuantization.Int8, 384));
        Assert.Equal(208, CodeArena.RowBytesOf(VectorQuantization.Int4, 384));
        Assert.Equal(64, CodeArena.RowBytesOf(VectorQuantization.Binary, 384));
        Assert.Equal(448, CodeArena.RowBytesOf(VectorQuantization.Int4, 784));
        Assert.Equal(128, CodeArena.RowBytesOf(VectorQuantization.Binary, 784));

        // Packed rows start anywhere in a line, yet each spans no more lines than one padded to whole lines would.
        foreach (var kind in new[] { VectorQuantization.Int8, VectorQuantization.Int4 })
        {
            foreach (int dimension in new[] { 96, 128, 384, 784, 1536 })
            {
                int bytes = CodeArena.StrideOf(kind, dimension) + 16;
                int rowBytes = CodeArena.RowBytesOf(kind, dimension);
                Assert.InRange(rowBytes, bytes, (bytes + 63) & ~63);
                for (int row = 0; row < 64; row++)
                {
                    int offset = (row * rowBytes) % 64;
                    Assert.True((offset + bytes + 63) / 64 <= ((bytes + 63) & ~63) / 64, $"{kind} {dimension}-d row {row} at {offset}");
                }
            }
        }
    }

    // Unrelated pairs: 20 queries against 200 rows. Near: each of 200 rows against itself plus noise of a third its norm.
    private static (double Dot, double L2) EstimateErrors(VectorQuantization kind, int dimension, int seed, bool near)
    {
        var random = new Random(seed);
        var rows = Enumerable.Range(0, 200).Select(_ => Unit(TestData.Gaussian(random, dimension, 1))).ToArray();
        var queries = near
            ? rows.Select(r => Unit(r.Zip(TestData.Gaussian(random, dimension, 1.0 / (3 * Math.Sqrt(dimension))), (a, b) => a + b).ToArray())).ToArray()
            : Enumerable.Range(0, 20).Select(_ => Unit(TestData.Gaussian(random, dimension, 1))).ToArray();
        int n = 0;
        var buffer = Row(kind, dimension, out byte* x);
        var queryBuffer = Query(dimension, out byte* q);
        int stride = CodeArena.StrideOf(kind, dimension);
        var planeBuffer = new byte[(8 * LowBitCodes.PlaneStride(stride)) + 64];
        var dotErrors = new List<double>();
        var l2Errors = new List<double>();
        fixed (byte* pb = planeBuffer)
        {
            byte* planes = (byte*)(((nint)pb + 63) & ~(nint)63);
            for (int qi = 0; qi < queries.Length; qi++)
            {
                var query = queries[qi];
                Array.Clear(queryBuffer);
                var qt = ScalarCodes.Encode(query, q);
                LowBitCodes.SplitPlanes(q, dimension, planes, LowBitCodes.PlaneStride(stride));
                foreach (var vector in near ? [rows[qi]] : rows)
                {
                    n++;
                    new Span<byte>(x, buffer.Length - 64).Clear();
                    var xt = kind switch
                    {
                        VectorQuantization.Int4 => LowBitCodes.EncodeInt4(vector, x),
                        VectorQuantization.Binary => LowBitCodes.EncodeBinary(vector, x),
                        _ => ScalarCodes.Encode(vector, x),
                    };
                    int codeDot = kind switch
                    {
                        VectorQuantization.Int4 => LowBitCodes.DotInt4(q, x, stride),
                        VectorQuantization.Binary => LowBitCodes.DotBinary(planes, x, stride),
                        _ => ScalarCodes.DotBytes(q, x, stride, (int)qt.Sum),
                    };
                    double exactDot = TestData.Distance(DistanceMetric.DotProduct, query, vector) * -1;
                    double exactL2 = Math.Pow(TestData.Distance(DistanceMetric.Euclidean, query, vector), 2);
                    dotErrors.Add(ScalarCodes.Dot(qt, xt, codeDot, dimension) - exactDot);
                    l2Errors.Add(ScalarCodes.SquaredL2(qt, xt, codeDot, dimension) - exactL2);
                }
            }
        }

        GC.KeepAlive(buffer);
        Assert.Equal(n, dotErrors.Count);
        return (Spread(dotErrors), Spread(l2Errors));

        // The standard deviation of the errors: a bias every row shares does not change a ranking, the spread does.
        static double Spread(List<double> errors)
        {
            double mean = errors.Average();
            return Math.Sqrt(errors.Sum(e => (e - mean) * (e - mean)) / errors.Count);
        }
    }

    // The squared norm the terms describe (what the squared L2 estimate uses) is the vector's own.
    private static void AssertDescribesTheNorm(CodeTerms terms, float[] vector)
    {
        double norm = vector.Sum(x => (double)x * x);
        double described = (vector.Length * (double)terms.Offset * terms.Offset) + (2.0 * terms.Offset * terms.Scale * terms.Sum)
            + ((double)terms.Scale * terms.Scale * terms.SumOfSquares);
        Assert.Equal(norm, described, 1e-4 * Math.Max(1, norm));
    }

    private static float[] Unit(float[] v)
    {
        float norm = MathF.Sqrt(v.Sum(x => x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static int[] Int4Codes(byte* x, int dimension)
    {
        var codes = new int[dimension];
        for (int i = 0; i < dimension; i++)
        {
            int j = i & 63;
            int packed = x[((i >> 6) * 32) + (j & 31)];
            codes[i] = j < 32 ? packed & 0x0F : packed >> 4;
        }

        return codes;
    }

    // A pinned row as an arena lays it out (code, terms, padding to whole lines), 64-byte aligned.
    private static byte[] Row(VectorQuantization kind, int dimension, out byte* row)
    {
        var buffer = GC.AllocateArray<byte>(CodeArena.RowBytesOf(kind, dimension) + 64, pinned: true);
        row = (byte*)(((nint)System.Runtime.CompilerServices.Unsafe.AsPointer(ref buffer[0]) + 63) & ~(nint)63);
        return buffer;
    }

    private static byte[] Query(int dimension, out byte* code)
    {
        var buffer = GC.AllocateArray<byte>(ScalarCodes.Stride(dimension), pinned: true);
        code = (byte*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref buffer[0]);
        return buffer;
    }
}
