namespace Theodore.Core.Errors;

/// <summary>
/// The one mapping from broken rules to an exception, used by validation, the use cases and every adapter, so a
/// violation has the same status and code on every path and every backend.
/// </summary>
public static class RequestErrors
{
    /// <summary>
    /// The most specific exception for <paramref name="errors"/>: when they all share a code, that code's exception
    /// (<see cref="DimensionMismatchException"/>, <see cref="EmbeddingContractViolationException"/>,
    /// <see cref="InvalidFilterException"/>), else <see cref="InvalidRequestException"/> with <c>invalid_request</c>.
    /// Every error is listed either way; the context says where it happened when an adapter raises it.
    /// </summary>
    public static InvalidRequestException ToException(IReadOnlyList<RequestError> errors, string? systemName = null, string? index = null, string? operation = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var code = SharedCode(errors);
        return code switch
        {
            ErrorCodes.DimensionMismatch => new DimensionMismatchException(errors) { SystemName = systemName, Index = index, Operation = operation },
            ErrorCodes.EmbeddingContractViolation => new EmbeddingContractViolationException(errors) { SystemName = systemName, Index = index, Operation = operation },
            ErrorCodes.InvalidFilter => new InvalidFilterException(errors) { SystemName = systemName, Index = index, Operation = operation },
            _ => new InvalidRequestException(errors, code) { SystemName = systemName, Index = index, Operation = operation },
        };
    }

    /// <summary>Throws <see cref="ToException"/> when <paramref name="errors"/> holds any; nothing was written then.</summary>
    public static void ThrowIfAny(IReadOnlyList<RequestError> errors, string? systemName = null, string? index = null, string? operation = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count > 0)
        {
            throw ToException(errors, systemName, index, operation);
        }
    }

    private static string SharedCode(IReadOnlyList<RequestError> errors)
    {
        if (errors.Count == 0)
        {
            return ErrorCodes.InvalidRequest;
        }

        var code = errors[0].Code;
        for (var i = 1; i < errors.Count; i++)
        {
            if (!string.Equals(errors[i].Code, code, StringComparison.Ordinal))
            {
                return ErrorCodes.InvalidRequest;
            }
        }

        return code is ErrorCodes.DimensionMismatch or ErrorCodes.EmbeddingContractViolation or ErrorCodes.InvalidFilter
            ? code
            : ErrorCodes.InvalidRequest;
    }
}
