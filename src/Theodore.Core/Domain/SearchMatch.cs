namespace Theodore.Core.Domain;

/// <summary>One hit: its id, score (higher is more similar, see <see cref="Scoring"/>), raw distance where the metric has one.</summary>
public sealed record SearchMatch(VectorId Id, float Score, float? Distance, ReadOnlyMemory<float>? Values = null, Metadata? Metadata = null);
