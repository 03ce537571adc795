using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Application.Vectors;

/// <summary>A batch the backend did not complete becomes an error naming every failed item, never a silent partial success.</summary>
internal static class BatchFailures
{
    public static void ThrowIfIncomplete(BatchResult result, string itemsPath)
    {
        if (result.IsComplete)
        {
            return;
        }

        var errors = result.Errors
            .Select(e => new RequestError($"{itemsPath}[{e.Position}]", e.Code, e.Message))
            .ToList();
        var summary = $"{result.Errors.Count} of {result.Requested} records failed; the first: {errors[0].Path}: {errors[0].Message}";
        if (result.Errors.All(e => e.IsTransient))
        {
            throw new StorageUnavailableException(summary);
        }

        if (result.Errors.All(e => e.Code is ErrorCodes.InvalidRequest or ErrorCodes.DimensionMismatch or ErrorCodes.EmbeddingContractViolation))
        {
            throw RequestErrors.ToException(errors);
        }

        throw new VectorStorageException(summary, result.Errors[0].Code);
    }
}
