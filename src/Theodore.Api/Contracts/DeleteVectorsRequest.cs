using System.Text.Json;
using Theodore.Application.Vectors;

namespace Theodore.Api.Contracts;

/// <summary>Body of <c>POST /v1/indexes/{index}/vectors/delete</c>: exactly one of ids, filter or deleteAll: true.</summary>
public sealed record DeleteVectorsRequest(IReadOnlyList<string?>? Ids = null, JsonElement? Filter = null, bool? DeleteAll = null, string? Namespace = null)
{
    public DeleteVectors ToUseCase(string index) => new(index, Ids, Filter, DeleteAll, Namespace);
}
