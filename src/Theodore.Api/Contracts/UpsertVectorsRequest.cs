using Theodore.Application.Vectors;

namespace Theodore.Api.Contracts;

/// <summary>Body of <c>POST /v1/indexes/{index}/vectors/upsert</c>: up to 1000 records into one namespace.</summary>
public sealed record UpsertVectorsRequest(IReadOnlyList<VectorRequest?>? Vectors, string? Namespace = null)
{
    public UpsertVectors ToUseCase(string index) =>
        new(index, Vectors?.Select(v => v?.ToInput()!).ToList(), Namespace);
}
