namespace Theodore.Core.Domain;

/// <summary>
/// One meaning of a score on every backend: higher is more similar.
/// Cosine: cosine similarity in [-1, 1] (distance = 1 - similarity). DotProduct: the dot product (no distance).
/// Euclidean: 1 / (1 + L2 distance). Manhattan: 1 / (1 + L1 distance). Adapters convert their backend's numbers here.
/// </summary>
public static class Scoring
{
    /// <summary>The score for a raw distance (for DotProduct pass the dot product itself).</summary>
    public static float ScoreFromDistance(DistanceMetric metric, double distance) => metric switch
    {
        DistanceMetric.Cosine => (float)(1 - distance),
        DistanceMetric.DotProduct => (float)distance,
        DistanceMetric.Euclidean or DistanceMetric.Manhattan => (float)(1 / (1 + distance)),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
    };

    /// <summary>The raw distance a match reports, or null for DotProduct, which has none.</summary>
    public static float? DistanceFromScore(DistanceMetric metric, double score) => metric switch
    {
        DistanceMetric.Cosine => (float)(1 - score),
        DistanceMetric.DotProduct => null,
        DistanceMetric.Euclidean or DistanceMetric.Manhattan => (float)((1 / score) - 1),
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
    };

    /// <summary>Exact score of <paramref name="query"/> against <paramref name="candidate"/>, in double precision.</summary>
    public static (float Score, float? Distance) Exact(DistanceMetric metric, ReadOnlySpan<float> query, ReadOnlySpan<float> candidate)
    {
        if (query.Length != candidate.Length)
        {
            throw new ArgumentException("vectors differ in length", nameof(candidate));
        }

        switch (metric)
        {
            case DistanceMetric.Cosine:
                double dot = 0, qq = 0, cc = 0;
                for (var i = 0; i < query.Length; i++)
                {
                    dot += (double)query[i] * candidate[i];
                    qq += (double)query[i] * query[i];
                    cc += (double)candidate[i] * candidate[i];
                }

                var cos = dot / (Math.Sqrt(qq) * Math.Sqrt(cc));
                return ((float)cos, (float)(1 - cos));
            case DistanceMetric.DotProduct:
                double d = 0;
                for (var i = 0; i < query.Length; i++)
                {
                    d += (double)query[i] * candidate[i];
                }

                return ((float)d, null);
            case DistanceMetric.Euclidean:
                double sq = 0;
                for (var i = 0; i < query.Length; i++)
                {
                    var diff = (double)query[i] - candidate[i];
                    sq += diff * diff;
                }

                var l2 = Math.Sqrt(sq);
                return ((float)(1 / (1 + l2)), (float)l2);
            case DistanceMetric.Manhattan:
                double l1 = 0;
                for (var i = 0; i < query.Length; i++)
                {
                    l1 += Math.Abs((double)query[i] - candidate[i]);
                }

                return ((float)(1 / (1 + l1)), (float)l1);
            default:
                throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric");
        }
    }
}
