namespace Theodore.Engine.Distances;

/// <summary>
/// A metric as a struct type parameter, so the JIT specializes every graph walk per metric and
/// the hot loop has no interface dispatch. Lengths are multiples of 16 (the arena pads with zeros).
/// </summary>
internal unsafe interface IDistance
{
    static abstract float Distance(float* a, float* b, int length);
}

/// <summary>A metric that can also be estimated from two vectors' 8-bit codes (<see cref="ScalarCodes"/>).</summary>
internal interface ICodedDistance : IDistance
{
    static abstract float FromCodes(in CodeTerms a, in CodeTerms b, int codeDot, int dimension);
}
