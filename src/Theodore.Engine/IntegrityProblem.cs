namespace Theodore.Engine;

/// <summary>One kind of inconsistency found by <see cref="VectorIndex.CheckIntegrity"/>: how often, and a few examples.</summary>
public sealed record IntegrityProblem(string Check, string Description, long Count, IReadOnlyList<string> Examples);
