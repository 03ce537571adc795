namespace Theodore.Engine.Distances;

/// <summary>Cosine over vectors normalized at insert: 1 - dot.</summary>
internal readonly unsafe struct CosineDistance : IDistance
{
    public static float Distance(float* a, float* b, int length) => 1f - Kernels.Dot(a, b, length);
}

/// <summary>Squared L2; the square root is taken only for returned hits.</summary>
internal readonly unsafe struct SquaredL2Distance : IDistance
{
    public static float Distance(float* a, float* b, int length) => Kernels.SquaredL2(a, b, length);
}

/// <summary>Negated dot product, so that smaller is more similar like every other metric.</summary>
internal readonly unsafe struct NegativeDotDistance : IDistance
{
    public static float Distance(float* a, float* b, int length) => -Kernels.Dot(a, b, length);
}

/// <summary>L1 distance.</summary>
internal readonly unsafe struct L1Distance : IDistance
{
    public static float Distance(float* a, float* b, int length) => Kernels.L1(a, b, length);
}
