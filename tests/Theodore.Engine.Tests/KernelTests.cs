using Theodore.Engine.Distances;

namespace Theodore.Engine.Tests;

public sealed unsafe class KernelTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(48)]
    [InlineData(64)]
    [InlineData(400)]
    [InlineData(784)]
    public void Kernels_paddedRows_matchScalarReference(int length)
    {
        var random = new Random(length);
        var a = new float[length];
        var b = new float[length];
        for (int i = 0; i < length; i++)
        {
            a[i] = (float)((random.NextDouble() * 2) - 1);
            b[i] = (float)((random.NextDouble() * 2) - 1);
        }

        double dot = 0, l2 = 0, l1 = 0;
        for (int i = 0; i < length; i++)
        {
            dot += (double)a[i] * b[i];
            l2 += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
            l1 += Math.Abs((double)a[i] - b[i]);
        }

        fixed (float* pa = a, pb = b)
        {
            Assert.Equal(dot, Kernels.Dot(pa, pb, length), 1e-3);
            Assert.Equal(l2, Kernels.SquaredL2(pa, pb, length), 1e-3);
            Assert.Equal(l1, Kernels.L1(pa, pb, length), 1e-3);
        }
    }
}
