using System.Runtime.InteropServices;

namespace Theodore.Engine;

/// <summary>
/// One search result. <see cref="Distance"/> is the metric's raw distance, smaller is closer:
/// Cosine: 1 - cosine similarity; Euclidean: the L2 distance (not squared); DotProduct: the
/// negated dot product (so the dot product is <c>-Distance</c>); Manhattan: the L1 distance.
/// <see cref="Metadata"/> is the record's metadata as the search saw it (the stored dictionary, not a copy), so a
/// caller needs no second lookup that a concurrent write could change; <see cref="Vector"/> is a copy of the stored
/// vector, present only when the search was asked for vectors.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct SearchHit(string Key, float Distance)
{
    public IReadOnlyDictionary<string, EngineValue>? Metadata { get; init; }

    public ReadOnlyMemory<float>? Vector { get; init; }
}
