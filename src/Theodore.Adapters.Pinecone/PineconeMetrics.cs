using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Adapters.Pinecone;

/// <summary>Metric names on the wire and Pinecone's scores as Theodore's (see <see cref="Scoring"/>).</summary>
internal static class PineconeMetrics
{
    public static string ToWire(DistanceMetric metric) => metric switch
    {
        DistanceMetric.Cosine => "cosine",
        DistanceMetric.Euclidean => "euclidean",
        DistanceMetric.DotProduct => "dotproduct",
        _ => throw new UnsupportedOperationException($"Pinecone has no {metric} metric.") { SystemName = PineconeConstants.SystemName },
    };

    public static DistanceMetric FromWire(string metric, string index) => metric switch
    {
        "cosine" => DistanceMetric.Cosine,
        "euclidean" => DistanceMetric.Euclidean,
        "dotproduct" => DistanceMetric.DotProduct,
        _ => throw new VectorStorageException($"Index '{index}' uses the metric '{metric}', which Theodore does not know.") { SystemName = PineconeConstants.SystemName, Index = index },
    };

    /// <summary>
    /// Theodore's score and distance for Pinecone's score: cosine similarity and the dot product as they are; for
    /// euclidean Pinecone returns the squared L2 distance, so the score is <c>1 / (1 + sqrt(s))</c>.
    /// </summary>
    public static (float Score, float? Distance) FromWire(DistanceMetric metric, double score)
    {
        switch (metric)
        {
            case DistanceMetric.Euclidean:
                var l2 = Math.Sqrt(Math.Max(0, score));
                return ((float)(1 / (1 + l2)), (float)l2);
            case DistanceMetric.Cosine:
                return ((float)score, (float)(1 - score));
            default:
                return ((float)score, null);
        }
    }
}
