using Theodore.Application.Vectors;

namespace Theodore.Api.Contracts;

/// <summary>Body of <c>POST /v1/indexes/{index}/vectors/fetch</c>: up to 1000 ids.</summary>
public sealed record FetchVectorsRequest(IReadOnlyList<string?>? Ids, string? Namespace = null)
{
    public FetchVectors ToUseCase(string index) => new(index, Ids, Namespace);
}
