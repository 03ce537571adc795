namespace Theodore.Core.Domain;

/// <summary>
/// The outcome of a batch. Never all-or-nothing silently: every failed item is listed. For deletes,
/// <see cref="Succeeded"/> counts records that existed and were removed.
/// </summary>
public sealed record BatchResult(int Requested, int Succeeded, IReadOnlyList<BatchItemError> Errors)
{
    public bool IsComplete => Errors.Count == 0;

    public static BatchResult AllSucceeded(int count) => new(count, count, []);
}
