using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Theodore.Engine.Distances;

/// <summary>
/// Hand-written SIMD kernels over zero-padded rows whose length is a multiple of 16, so there is
/// no tail loop; four accumulators hide the FMA latency.
/// </summary>
internal static unsafe class Kernels
{
    public const int Lanes = 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot(float* a, float* b, int length)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            var s2 = Vector512<float>.Zero;
            var s3 = Vector512<float>.Zero;
            int i = 0;
            for (; i <= length - 64; i += 64)
            {
                s0 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), s0);
                s1 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i + 16), Vector512.Load(b + i + 16), s1);
                s2 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i + 32), Vector512.Load(b + i + 32), s2);
                s3 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i + 48), Vector512.Load(b + i + 48), s3);
            }

            for (; i < length; i += 16)
            {
                s0 = Vector512.FusedMultiplyAdd(Vector512.Load(a + i), Vector512.Load(b + i), s0);
            }

            return Vector512.Sum((s0 + s1) + (s2 + s3));
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            for (int i = 0; i < length; i += 16)
            {
                s0 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i), Vector256.Load(b + i), s0);
                s1 = Vector256.FusedMultiplyAdd(Vector256.Load(a + i + 8), Vector256.Load(b + i + 8), s1);
            }

            return Vector256.Sum(s0 + s1);
        }

        float sum = 0;
        for (int i = 0; i < length; i++)
        {
            sum += a[i] * b[i];
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float SquaredL2(float* a, float* b, int length)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            var s2 = Vector512<float>.Zero;
            var s3 = Vector512<float>.Zero;
            int i = 0;
            for (; i <= length - 64; i += 64)
            {
                var d0 = Vector512.Load(a + i) - Vector512.Load(b + i);
                var d1 = Vector512.Load(a + i + 16) - Vector512.Load(b + i + 16);
                var d2 = Vector512.Load(a + i + 32) - Vector512.Load(b + i + 32);
                var d3 = Vector512.Load(a + i + 48) - Vector512.Load(b + i + 48);
                s0 = Vector512.FusedMultiplyAdd(d0, d0, s0);
                s1 = Vector512.FusedMultiplyAdd(d1, d1, s1);
                s2 = Vector512.FusedMultiplyAdd(d2, d2, s2);
                s3 = Vector512.FusedMultiplyAdd(d3, d3, s3);
            }

            for (; i < length; i += 16)
            {
                var d = Vector512.Load(a + i) - Vector512.Load(b + i);
                s0 = Vector512.FusedMultiplyAdd(d, d, s0);
            }

            return Vector512.Sum((s0 + s1) + (s2 + s3));
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var s0 = Vector256<float>.Zero;
            var s1 = Vector256<float>.Zero;
            for (int i = 0; i < length; i += 16)
            {
                var d0 = Vector256.Load(a + i) - Vector256.Load(b + i);
                var d1 = Vector256.Load(a + i + 8) - Vector256.Load(b + i + 8);
                s0 = Vector256.FusedMultiplyAdd(d0, d0, s0);
                s1 = Vector256.FusedMultiplyAdd(d1, d1, s1);
            }

            return Vector256.Sum(s0 + s1);
        }

        float sum = 0;
        for (int i = 0; i < length; i++)
        {
            float d = a[i] - b[i];
            sum += d * d;
        }

        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float L1(float* a, float* b, int length)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var s0 = Vector512<float>.Zero;
            var s1 = Vector512<float>.Zero;
            int i = 0;
            for (; i <= length - 32; i += 32)
            {
                s0 += Vector512.Abs(Vector512.Load(a + i) - Vector512.Load(b + i));
                s1 += Vector512.Abs(Vector512.Load(a + i + 16) - Vector512.Load(b + i + 16));
            }

            for (; i < length; i += 16)
            {
                s0 += Vector512.Abs(Vector512.Load(a + i) - Vector512.Load(b + i));
            }

            return Vector512.Sum(s0 + s1);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            var s0 = Vector256<float>.Zero;
            for (int i = 0; i < length; i += 8)
            {
                s0 += Vector256.Abs(Vector256.Load(a + i) - Vector256.Load(b + i));
            }

            return Vector256.Sum(s0);
        }

        float sum = 0;
        for (int i = 0; i < length; i++)
        {
            sum += MathF.Abs(a[i] - b[i]);
        }

        return sum;
    }
}
