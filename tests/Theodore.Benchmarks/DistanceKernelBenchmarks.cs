using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using Theodore.Engine.Distances;

namespace Theodore.Benchmarks;

/// <summary>The engine's hand-written kernels against TensorPrimitives and a Vector256-only loop.</summary>
[ShortRunJob]
public unsafe class DistanceKernelBenchmarks
{
    private float* _a;
    private float* _b;

    [Params(384, 784)]
    public int Dimension { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _a = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)(Dimension * 4), 64);
        _b = (float*)System.Runtime.InteropServices.NativeMemory.AlignedAlloc((nuint)(Dimension * 4), 64);
        var random = new Random(1);
        for (int i = 0; i < Dimension; i++)
        {
            _a[i] = (float)random.NextDouble();
            _b[i] = (float)random.NextDouble();
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        System.Runtime.InteropServices.NativeMemory.AlignedFree(_a);
        System.Runtime.InteropServices.NativeMemory.AlignedFree(_b);
    }

    [Benchmark(Baseline = true)]
    public float SquaredL2_Engine() => Kernels.SquaredL2(_a, _b, Dimension);

    [Benchmark]
    public float SquaredL2_TensorPrimitives()
    {
        var a = new ReadOnlySpan<float>(_a, Dimension);
        var b = new ReadOnlySpan<float>(_b, Dimension);
        float d = TensorPrimitives.Distance(a, b);
        return d * d;
    }

    [Benchmark]
    public float SquaredL2_Vector256()
    {
        var s0 = Vector256<float>.Zero;
        var s1 = Vector256<float>.Zero;
        for (int i = 0; i < Dimension; i += 16)
        {
            var d0 = Vector256.Load(_a + i) - Vector256.Load(_b + i);
            var d1 = Vector256.Load(_a + i + 8) - Vector256.Load(_b + i + 8);
            s0 = Vector256.FusedMultiplyAdd(d0, d0, s0);
            s1 = Vector256.FusedMultiplyAdd(d1, d1, s1);
        }

        return Vector256.Sum(s0 + s1);
    }

    [Benchmark]
    public float Dot_Engine() => Kernels.Dot(_a, _b, Dimension);

    [Benchmark]
    public float Dot_TensorPrimitives() => TensorPrimitives.Dot(new ReadOnlySpan<float>(_a, Dimension), new ReadOnlySpan<float>(_b, Dimension));
}
