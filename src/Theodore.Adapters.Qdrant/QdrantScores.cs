using Theodore.Core.Domain;

namespace Theodore.Adapters.Qdrant;

/// <summary>
/// Qdrant's numbers as Theodore's scores (<see cref="Scoring"/>), and Theodore's inclusive threshold (score &gt;= t) as
/// Qdrant's strict one. Qdrant returns the f32 similarity for Cosine and Dot (descending) and the L2 or L1 distance for
/// Euclid and Manhattan (ascending), and keeps score &gt; t or distance &lt; t.
/// <list type="bullet">
/// <item>Cosine / Dot: the server gets the next f32 below t, so "&gt; that" is exactly "&gt;= t" on f32 scores.</item>
/// <item>Euclid / Manhattan: the score 1/(1+d) is rounded to f32, so no distance bound is exact; the server gets the
/// bound 1/t - 1 widened by 1e-4 relative plus 1e-6, and the adapter keeps exactly the matches scoring &gt;= t. Scores
/// fall as distances grow, so what the server sent beyond the threshold is a tail of its page: offset and limit still
/// count from the best match, and the answer is exact.</item>
/// </list>
/// </summary>
internal static class QdrantScores
{
    public static float ScoreOf(DistanceMetric metric, float raw) => metric switch
    {
        DistanceMetric.Euclidean or DistanceMetric.Manhattan => Scoring.ScoreFromDistance(metric, raw),
        _ => raw,
    };

    public static float? DistanceOf(DistanceMetric metric, float raw, float score) => metric switch
    {
        DistanceMetric.Euclidean or DistanceMetric.Manhattan => raw,
        DistanceMetric.Cosine => 1 - score,
        _ => null,
    };

    /// <summary>The threshold to send Qdrant (null: none); every match scoring &gt;= <paramref name="threshold"/> passes it.</summary>
    public static float? ServerThreshold(DistanceMetric metric, float? threshold)
    {
        if (threshold is not { } t)
        {
            return null;
        }

        if (metric is DistanceMetric.Cosine or DistanceMetric.DotProduct)
        {
            return float.IsNegativeInfinity(t) || float.IsNaN(t) ? null : float.BitDecrement(t);
        }

        // scores of distance metrics lie in (0, 1]: a bound at or below 0 keeps everything, above 1 nothing
        if (t <= 0 || float.IsNaN(t))
        {
            return null;
        }

        if (t > 1)
        {
            return 0f;
        }

        var bound = (1.0 / t) - 1;
        var widened = (bound * (1 + 1e-4)) + 1e-6;
        return widened >= float.MaxValue ? null : (float)widened;
    }
}
