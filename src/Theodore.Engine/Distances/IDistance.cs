namespace Theodore.Engine.Distances;

/// <summary>
/// A metric as a struct type parameter, so the JIT specializes every graph walk per metric and
/// the hot loop has no interface dispatch. Lengths are multiples of 16 (the arena pads with zeros).
/// </summary>
internal unsafe interface IDistance
{
    static abstract float Distance(float* a, float* b, int length);
}
