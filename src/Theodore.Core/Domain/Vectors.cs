using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>The rules every vector obeys on every backend: finite values, the index dimension, non-zero for cosine.</summary>
public static class Vectors
{
    /// <summary>Tolerance on the unit length of vectors in an index whose embedding contract says normalized.</summary>
    public const float UnitNormTolerance = 1e-3f;

    /// <summary>Returns every problem with <paramref name="values"/> (empty when it is valid).</summary>
    public static IEnumerable<RequestError> Check(ReadOnlyMemory<float> values, int dimension, DistanceMetric metric, string path, bool requireUnitNorm = false)
    {
        if (values.Length != dimension)
        {
            yield return new RequestError(path, ErrorCodes.DimensionMismatch, $"expected {dimension} dimensions, got {values.Length}");
            yield break;
        }

        var nonFinite = IndexOfNonFinite(values.Span);
        if (nonFinite >= 0)
        {
            yield return new RequestError($"{path}[{nonFinite}]", ErrorCodes.InvalidRequest, "values must be finite numbers (no NaN or Infinity, and within float range)");
            yield break;
        }

        var squaredNorm = SquaredNorm(values.Span);
        if (metric == DistanceMetric.Cosine && squaredNorm == 0)
        {
            yield return new RequestError(path, ErrorCodes.InvalidRequest, "a zero vector has no direction and cannot be used with the cosine metric");
        }
        else if (requireUnitNorm && Math.Abs(Math.Sqrt(squaredNorm) - 1) > UnitNormTolerance)
        {
            yield return new RequestError(path, ErrorCodes.EmbeddingContractViolation, $"the index's embedding contract requires unit-length vectors; this one has length {Math.Sqrt(squaredNorm):0.####}");
        }
    }

    /// <summary>Throws an <see cref="InvalidRequestException"/> (or <see cref="DimensionMismatchException"/>) when the vector breaks a rule.</summary>
    public static void Validate(ReadOnlyMemory<float> values, int dimension, DistanceMetric metric, string path = "values")
    {
        var errors = Check(values, dimension, metric, path).ToList();
        if (errors.Count > 0)
        {
            throw ToException(errors);
        }
    }

    /// <summary>Wraps a list of errors in the most specific exception: all dimension errors give <see cref="DimensionMismatchException"/>.</summary>
    public static InvalidRequestException ToException(IReadOnlyList<RequestError> errors) =>
        errors.All(e => e.Code == ErrorCodes.DimensionMismatch)
            ? new DimensionMismatchException(errors)
            : new InvalidRequestException(errors, errors.Any(e => e.Code == ErrorCodes.DimensionMismatch) ? ErrorCodes.DimensionMismatch : ErrorCodes.InvalidRequest);

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
