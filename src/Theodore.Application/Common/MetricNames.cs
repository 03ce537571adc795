using System.Diagnostics.CodeAnalysis;
using Theodore.Core.Domain;

namespace Theodore.Application.Common;

/// <summary>
/// The wire names of <see cref="DistanceMetric"/>: exactly <c>cosine</c>, <c>euclidean</c>, <c>dotproduct</c>, <c>manhattan</c>.
/// Written out by hand so renaming an enum member can never change the public contract.
/// </summary>
public static class MetricNames
{
    public const string Cosine = "cosine";
    public const string Euclidean = "euclidean";
    public const string DotProduct = "dotproduct";
    public const string Manhattan = "manhattan";

    public static IReadOnlyList<string> All { get; } = [Cosine, Euclidean, DotProduct, Manhattan];

    public static string ToName(DistanceMetric metric) => metric switch
    {
        DistanceMetric.Cosine => Cosine,
        DistanceMetric.Euclidean => Euclidean,
        DistanceMetric.DotProduct => DotProduct,
        DistanceMetric.Manhattan => Manhattan,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "unknown metric"),
    };

    public static bool TryParse(string? name, out DistanceMetric metric, [NotNullWhen(false)] out string? error)
    {
        (var known, metric) = name switch
        {
            Cosine => (true, DistanceMetric.Cosine),
            Euclidean => (true, DistanceMetric.Euclidean),
            DotProduct => (true, DistanceMetric.DotProduct),
            Manhattan => (true, DistanceMetric.Manhattan),
            _ => (false, default),
        };
        error = known ? null
            : string.IsNullOrEmpty(name) ? $"a metric is required: one of {string.Join(", ", All)}"
            : $"unknown metric '{name}'; use one of {string.Join(", ", All)}";
        return known;
    }
}
