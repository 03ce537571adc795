namespace Theodore.Core.Domain;

/// <summary>A page of records and the cursor to the next one (null at the end).</summary>
public sealed record RecordPage(IReadOnlyList<VectorRecord> Records, string? NextCursor);
