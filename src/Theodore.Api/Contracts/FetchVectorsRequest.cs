using Theodore.Application.Vectors;

namespace Theodore.Api.Contracts;

/// <summary>Body of <c>POST /v1/indexes/{index}/vectors/fetch</c>: up to 1000 ids; <c>includeDeleted</c> returns soft-deleted ones too.</summary>
public sealed record FetchVectorsRequest(IReadOnlyList<string?>? Ids, string? Namespace = null, bool? IncludeDeleted = null)
{
    public FetchVectors ToUseCase(string index) => new(index, Ids, Namespace, IncludeDeleted ?? false);
}
