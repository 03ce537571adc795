using Theodore.Core.Domain;
using Theodore.Core.Errors;
using CoreVectors = Theodore.Core.Domain.Vectors;

namespace Theodore.Application.Vectors;

/// <summary>The vector rules that need the index (dimension, zero vector under cosine, unit norm under a normalizing contract).</summary>
internal static class IndexChecks
{
    /// <summary>Checks every vector against the index and throws one exception listing all problems; nothing is written then.</summary>
    public static void ThrowIfInvalid(IndexInfo index, IEnumerable<(ReadOnlyMemory<float> Values, string Path)> vectors, bool isWrite)
    {
        var definition = index.Definition;
        var requireUnitNorm = isWrite && definition.Embedding is { Normalize: true };
        var errors = new List<RequestError>();
        foreach (var (values, path) in vectors)
        {
            errors.AddRange(CoreVectors.Check(values, definition.Dimension, definition.Metric, path, requireUnitNorm));
        }

        if (errors.Count > 0)
        {
            throw CoreVectors.ToException(errors);
        }
    }
}
