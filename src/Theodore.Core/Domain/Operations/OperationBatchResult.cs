namespace Theodore.Core.Domain.Operations;

/// <summary>The outcome of a mixed batch: one result per operation in batch order, the counts and how long it took.</summary>
public sealed record OperationBatchResult(IReadOnlyList<RecordOperationResult> Results, bool Atomic, TimeSpan Duration)
{
    public int Requested => Results.Count;

    public int Succeeded => Results.Count(static r => r.Succeeded);

    public int Failed => Results.Count(static r => !r.Succeeded);
}
