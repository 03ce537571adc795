namespace Theodore.Core.Domain;

/// <summary>How similarity is measured; see <see cref="Scoring"/> for what a score means under each.</summary>
public enum DistanceMetric
{
    Cosine,
    Euclidean,
    DotProduct,
    Manhattan,
}
