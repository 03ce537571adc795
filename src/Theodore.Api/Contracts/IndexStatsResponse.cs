using System.Text.Json.Serialization;
using Theodore.Application.Common;
using Theodore.Core.Domain;

namespace Theodore.Api.Contracts;

/// <summary>
/// Vectors in total and per namespace ("" is the default one), memory when known, records per metadata field, and
/// vectors not yet in the ANN index (searched exactly meanwhile) when the backend says.
/// </summary>
public sealed record IndexStatsResponse(
    long TotalVectors,
    int Dimension,
    string Metric,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? MemoryBytes,
    IReadOnlyDictionary<string, long> MetadataFields,
    IReadOnlyDictionary<string, long> Namespaces,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? UnindexedVectors)
{
    public static IndexStatsResponse From(IndexStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new(stats.TotalVectors, stats.Dimension, MetricNames.ToName(stats.Metric), stats.MemoryBytes, stats.MetadataFields, stats.Namespaces, stats.UnindexedVectors);
    }
}
