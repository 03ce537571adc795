using Theodore.Application.Operations;
using Theodore.Core.Domain.Operations;

namespace Theodore.Api.Contracts;

/// <summary>
/// What a mixed batch did: one result per operation in batch order, whether it was applied atomically, the counts and
/// how long the backend took.
/// </summary>
public sealed record BatchResponse(IReadOnlyList<OperationResultResponse> Results, bool Atomic, int Requested, int Succeeded, int Failed, double DurationMs)
{
    public static BatchResponse From(OperationBatchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(
            [.. result.Results.Select(OperationResultResponse.From)],
            result.Atomic,
            result.Requested,
            result.Succeeded,
            result.Failed,
            Math.Round(result.Duration.TotalMilliseconds, 3));
    }
}

/// <summary>
/// One operation's outcome: its position in the batch (<c>index</c>), <c>op</c>, <c>id</c>, whether it changed
/// something (<c>applied</c>), and why it failed (<c>error</c>: code and message; absent on success). A soft delete of
/// a soft-deleted record or a restore of a live one succeeds without being applied.
/// </summary>
public sealed record OperationResultResponse(int Index, string Op, string Id, bool Applied, OperationErrorResponse? Error = null)
{
    public static OperationResultResponse From(RecordOperationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(
            result.Position,
            ApplyOperations.OpName(result.Kind),
            result.Id.Value,
            result.Applied,
            result.ErrorCode is { } code ? new OperationErrorResponse(code, result.ErrorMessage ?? code) : null);
    }
}

/// <summary>Why one operation failed: a machine-readable code (e.g. <c>record_not_found</c>) and a message.</summary>
public sealed record OperationErrorResponse(string Code, string Message);
