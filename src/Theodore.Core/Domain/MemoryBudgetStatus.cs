namespace Theodore.Core.Domain;

/// <summary>
/// A storage's memory use and budget, in bytes. <see cref="UsedBytes"/> is the backend's own estimate of what its
/// records, graphs, keys and metadata hold (allocated, not just filled); <see cref="BudgetBytes"/> is null when the
/// budget was turned off, and writes are then never refused on memory.
/// </summary>
public sealed record MemoryBudgetStatus(long UsedBytes, long? BudgetBytes)
{
    /// <summary>Share of the budget in use, 0 to 1 (above 1 only when the budget was lowered under the data); null without a budget.</summary>
    public double? UsedRatio => BudgetBytes is > 0 and { } budget ? (double)UsedBytes / budget : null;
}
