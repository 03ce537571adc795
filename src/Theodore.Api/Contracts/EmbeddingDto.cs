namespace Theodore.Api.Contracts;

/// <summary>The embedding contract of an index: model, version, and whether vectors must be unit length.</summary>
public sealed record EmbeddingDto(string? Model, string? Version, bool Normalize);
