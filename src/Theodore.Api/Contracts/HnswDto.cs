namespace Theodore.Api.Contracts;

/// <summary>HNSW build parameters; either may be left out for its default.</summary>
public sealed record HnswDto(int? M, int? EfConstruction);
