using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>
/// The rules a vector obeys in an index, on every backend: the index's dimension, finite values, a direction under
/// cosine, and unit length when the index's embedding contract says normalized. Every adapter checks its input here,
/// against the definition it already holds, so no caller needs a round trip to learn the index first.
/// </summary>
public static class Vectors
{
    /// <summary>Tolerance on the unit length of vectors in an index whose embedding contract says normalized.</summary>
    public const float UnitNormTolerance = 1e-3f;

    /// <summary>
    /// Adds every problem with <paramref name="values"/> in an index of <paramref name="definition"/> to
    /// <paramref name="errors"/>. A write must also keep the embedding contract; a query need not.
    /// </summary>
    public static void Check(IndexDefinition definition, ReadOnlySpan<float> values, string path, bool isWrite, ICollection<RequestError> errors)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(errors);
        if (values.Length != definition.Dimension)
        {
            errors.Add(new RequestError(path, ErrorCodes.DimensionMismatch, $"expected {definition.Dimension} dimensions, got {values.Length}"));
            return;
        }

        var nonFinite = IndexOfNonFinite(values);
        if (nonFinite >= 0)
        {
            errors.Add(new RequestError($"{path}[{nonFinite}]", ErrorCodes.InvalidRequest, "values must be finite numbers (no NaN or Infinity, and within float range)"));
            return;
        }

        var squaredNorm = SquaredNorm(values);
        if (definition.Metric == DistanceMetric.Cosine && squaredNorm == 0)
        {
            errors.Add(new RequestError(path, ErrorCodes.InvalidRequest, "a zero vector has no direction and cannot be used with the cosine metric"));
        }
        else if (isWrite && definition.Embedding is { Normalize: true } && Math.Abs(Math.Sqrt(squaredNorm) - 1) > UnitNormTolerance)
        {
            errors.Add(new RequestError(path, ErrorCodes.EmbeddingContractViolation, $"the index's embedding contract requires unit-length vectors; this one has length {Math.Sqrt(squaredNorm):0.####}"));
        }
    }

    /// <summary>Throws the one exception for a query vector that breaks a rule of its index (see <see cref="RequestErrors"/>).</summary>
    public static void ThrowIfInvalidQuery(IndexDefinition definition, ReadOnlySpan<float> vector, string systemName, string operation)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<RequestError>();
        Check(definition, vector, "vector", isWrite: false, errors);
        RequestErrors.ThrowIfAny(errors, systemName, definition.Name.Value, operation);
    }

    /// <summary>Throws the one exception listing every problem of a batch when any record breaks a rule; nothing was written then.</summary>
    public static void ThrowIfInvalidBatch(IndexDefinition definition, IReadOnlyList<VectorRecord?> records, string systemName, string operation)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(records);
        var errors = new List<RequestError>();
        for (var i = 0; i < records.Count; i++)
        {
            CheckRecord(definition, records[i], ItemPath(i), errors);
        }

        RequestErrors.ThrowIfAny(errors, systemName, definition.Name.Value, operation);
    }

    /// <summary>Throws the one exception for a record that breaks a rule of its index; its vector is reported at <c>values</c>.</summary>
    public static void ThrowIfInvalidRecord(IndexDefinition definition, VectorRecord? record, string systemName, string operation)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var errors = new List<RequestError>();
        CheckRecord(definition, record, string.Empty, errors);
        RequestErrors.ThrowIfAny(errors, systemName, definition.Name.Value, operation);
    }

    /// <summary>Why item <paramref name="position"/> of a batch cannot be written, or null when it can.</summary>
    public static BatchItemError? CheckItem(IndexDefinition definition, VectorRecord? record, int position)
    {
        var errors = new List<RequestError>();
        CheckRecord(definition, record, ItemPath(position), errors);
        return errors.Count == 0
            ? null
            : new BatchItemError(position, record?.Id?.Value, errors[0].Code, string.Join("; ", errors.Select(e => $"{e.Path}: {e.Message}")));
    }

    /// <summary>Where item <paramref name="position"/> of a batch is reported: <c>vectors[position]</c>, the API's name for it.</summary>
    public static string ItemPath(int position) => $"vectors[{position}]";

    /// <summary>
    /// Adds the problems of one record (missing, no id, its values) to <paramref name="errors"/>, at paths under
    /// <paramref name="prefix"/>: <c>vectors[3].values</c> in a batch, plain <c>values</c> for a single record.
    /// </summary>
    private static void CheckRecord(IndexDefinition definition, VectorRecord? record, string prefix, List<RequestError> errors)
    {
        string At(string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";
        if (record is null)
        {
            errors.Add(new RequestError(prefix.Length == 0 ? "record" : prefix, ErrorCodes.InvalidRequest, "a record is required"));
        }
        else if (record.Id is null)
        {
            errors.Add(new RequestError(At("id"), ErrorCodes.InvalidRequest, "an id is required"));
        }
        else
        {
            Check(definition, record.Values.Span, At("values"), isWrite: true, errors);
        }
    }

    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public static double SquaredNorm(ReadOnlySpan<float> values)
    {
        double sum = 0;
        foreach (var v in values)
        {
            sum += (double)v * v;
        }

        return sum;
    }
}
