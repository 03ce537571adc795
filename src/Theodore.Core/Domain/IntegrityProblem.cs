namespace Theodore.Core.Domain;

/// <summary>One kind of inconsistency an integrity check found: what, how many, and an example or two.</summary>
public sealed record IntegrityProblem(string Code, string Message, long Count);
