using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>The checks a record passes against its index before any backend stores it, and the one error they become.</summary>
public static class RecordRules
{
    /// <summary>Every problem with <paramref name="record"/> in an index of <paramref name="definition"/> (empty when it is valid).</summary>
    public static IReadOnlyList<RequestError> Check(IndexDefinition definition, VectorRecord record, string path)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(record);
        if (record.Id is null)
        {
            return [new RequestError($"{path}.id", ErrorCodes.InvalidRequest, "an id is required")];
        }

        var requireUnitNorm = definition.Embedding?.Normalize == true;
        return Vectors.Check(record.Values, definition.Dimension, definition.Metric, $"{path}.values", requireUnitNorm).ToList();
    }

    /// <summary>
    /// The most specific error for <paramref name="errors"/>, saying where it happened: a broken embedding contract,
    /// a dimension mismatch, or an invalid request listing every problem.
    /// </summary>
    public static VectorStorageException ToException(IReadOnlyList<RequestError> errors, string systemName, IndexName index, string operation)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ArgumentNullException.ThrowIfNull(index);
        var contract = errors.FirstOrDefault(e => e.Code == ErrorCodes.EmbeddingContractViolation);
        if (contract is not null)
        {
            return new EmbeddingContractViolationException($"{contract.Path}: {contract.Message}") { SystemName = systemName, Index = index.Value, Operation = operation };
        }

        return Vectors.ToException(errors) switch
        {
            DimensionMismatchException => new DimensionMismatchException(errors) { SystemName = systemName, Index = index.Value, Operation = operation },
            var other => new InvalidRequestException(errors, other.Code) { SystemName = systemName, Index = index.Value, Operation = operation },
        };
    }
}
