namespace Theodore.Engine.Distances;

/// <summary>Cosine over vectors normalized at insert: 1 - dot.</summary>
internal readonly unsafe struct CosineDistance : ICodedDistance
{
    public static float Distance(float* a, float* b, int length) => 1f - Kernels.Dot(a, b, length);

    public static float FromCodes(in CodeTerms a, in CodeTerms b, int codeDot, int dimension) => 1f - ScalarCodes.Dot(a, b, codeDot, dimension);
}

/// <summary>Squared L2; the square root is taken only for returned hits.</summary>
internal readonly unsafe struct SquaredL2Distance : ICodedDistance
{
    public static float Distance(float* a, float* b, int length) => Kernels.SquaredL2(a, b, length);

    public static float FromCodes(in CodeTerms a, in CodeTerms b, int codeDot, int dimension) => ScalarCodes.SquaredL2(a, b, codeDot, dimension);
}

/// <summary>Negated dot product, so that smaller is more similar like every other metric.</summary>
internal readonly unsafe struct NegativeDotDistance : ICodedDistance
{
    public static float Distance(float* a, float* b, int length) => -Kernels.Dot(a, b, length);

    public static float FromCodes(in CodeTerms a, in CodeTerms b, int codeDot, int dimension) => -ScalarCodes.Dot(a, b, codeDot, dimension);
}

/// <summary>L1 distance; it has no form over the integer dot product, so its builds walk on floats.</summary>
internal readonly unsafe struct L1Distance : IDistance
{
    public static float Distance(float* a, float* b, int length) => Kernels.L1(a, b, length);
}
