using System.Numerics.Tensors;

namespace Theodore.Adapters.Embeddings.Tests;

internal static class Vectors
{
    public static float Cosine(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b) => TensorPrimitives.CosineSimilarity(a.Span, b.Span);

    public static float MaxAbsDifference(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        Assert.Equal(a.Length, b.Length);
        var max = 0f;
        for (var i = 0; i < a.Length; i++)
        {
            max = Math.Max(max, Math.Abs(a[i] - b[i]));
        }

        return max;
    }
}
