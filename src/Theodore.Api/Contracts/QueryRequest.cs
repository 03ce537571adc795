using System.Text.Json;
using System.Text.Json.Serialization;
using MediatR;
using Theodore.Application.Query;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Api.Contracts;

/// <summary>Body of <c>POST /v1/indexes/{index}/query</c>: by <c>vector</c> or by the stored record <c>id</c>, not both.</summary>
public sealed record QueryRequest(
    [property: JsonConverter(typeof(FloatArrayJsonConverter))] float[]? Vector = null,
    string? Id = null,
    int? TopK = null,
    JsonElement? Filter = null,
    float? ScoreThreshold = null,
    bool? IncludeValues = null,
    bool? IncludeMetadata = null,
    string? Namespace = null,
    int? Ef = null,
    bool? Exact = null,
    int? Offset = null,
    int? TimeoutMs = null,
    long? MaxCost = null,
    int? RerankFactor = null)
{
    /// <summary>Minimal API binding: the body read whole and parsed from one span (see <see cref="JsonBody"/>).</summary>
    public static ValueTask<QueryRequest?> BindAsync(HttpContext context) => JsonBody.ReadAsync<QueryRequest>(context);

    /// <summary>The estimate of this body's query; an invalid body is an answer (valid false), not an error.</summary>
    public EstimateQuery ToEstimate(string index) =>
        new(index, Vector, Id, new QueryOptions(TopK, Filter, ScoreThreshold, IncludeValues, IncludeMetadata, Namespace, Ef, Exact, Offset, TimeoutMs, MaxCost, RerankFactor));

    /// <summary>The use case this body asks for; without an id it is a query by vector, whose validator asks for one.</summary>
    public IRequest<SearchResult> ToUseCase(string index)
    {
        var options = new QueryOptions(TopK, Filter, ScoreThreshold, IncludeValues, IncludeMetadata, Namespace, Ef, Exact, Offset, TimeoutMs, MaxCost, RerankFactor);
        return (Vector, Id) switch
        {
            (not null, not null) => throw new InvalidRequestException("id", "give either vector or id, not both"),
            (null, not null) => new QueryById(index, Id, options),
            _ => new QueryByVector(index, Vector, options),
        };
    }
}
