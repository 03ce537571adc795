namespace Theodore.Engine;

/// <summary>The distance a <see cref="VectorIndex"/> ranks by. See <see cref="SearchHit.Distance"/> for the values returned.</summary>
public enum DistanceMetric
{
    /// <summary>Vectors are normalized at insert; distance is 1 - cosine similarity.</summary>
    Cosine,

    /// <summary>L2 distance (ranked internally by its square).</summary>
    Euclidean,

    /// <summary>Ranked by the negated dot product; larger dot products rank first.</summary>
    DotProduct,

    /// <summary>L1 (taxicab) distance.</summary>
    Manhattan,
}
