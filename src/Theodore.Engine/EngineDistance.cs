namespace Theodore.Engine;

/// <summary>Conversions from <see cref="SearchHit.Distance"/> to other conventions.</summary>
public static class EngineDistance
{
    /// <summary>
    /// Higher-is-more-similar score: Cosine: cosine similarity; DotProduct: the dot product;
    /// Euclidean: 1 / (1 + L2); Manhattan: 1 / (1 + L1).
    /// </summary>
    public static double ToScore(DistanceMetric metric, float distance) => metric switch
    {
        DistanceMetric.Cosine => 1.0 - distance,
        DistanceMetric.DotProduct => -(double)distance,
        DistanceMetric.Euclidean or DistanceMetric.Manhattan => 1.0 / (1.0 + distance),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>The squared L2 distance Pinecone reports, from a Euclidean <see cref="SearchHit.Distance"/>.</summary>
    public static double ToSquaredEuclidean(float distance) => (double)distance * distance;
}
