namespace Theodore.Core.Domain.Operations;

/// <summary>
/// What became of one operation of a mixed batch: its position in the batch, kind and id; <see cref="Applied"/> when
/// it changed something, else why not in <see cref="ErrorCode"/> and <see cref="ErrorMessage"/> (for example
/// <c>not_found</c> for a delete, restore or update of a record that does not exist).
/// </summary>
public sealed record RecordOperationResult(int Position, RecordOperationKind Kind, VectorId Id, bool Applied, string? ErrorCode = null, string? ErrorMessage = null)
{
    public bool Succeeded => ErrorCode is null;
}
