using System.Runtime.InteropServices;

namespace Theodore.Engine;

/// <summary>
/// One search result. <see cref="Distance"/> is the metric's raw distance, smaller is closer:
/// Cosine: 1 - cosine similarity; Euclidean: the L2 distance (not squared); DotProduct: the
/// negated dot product (so the dot product is <c>-Distance</c>); Manhattan: the L1 distance.
/// <see cref="EngineDistance.ToScore"/> turns it into a higher-is-better score.
/// </summary>
[StructLayout(LayoutKind.Auto)]
public readonly record struct SearchHit(string Key, float Distance);
