namespace Theodore.Core.Domain;

/// <summary>Why one item of a batch failed: its position in the request, its id, a code and words.</summary>
public sealed record BatchItemError(int Position, string? Id, string Code, string Message, bool IsTransient = false);
