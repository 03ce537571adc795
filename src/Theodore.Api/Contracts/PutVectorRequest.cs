using System.Text.Json;
using System.Text.Json.Serialization;
using Theodore.Application.Vectors;

namespace Theodore.Api.Contracts;

/// <summary>Body of <c>PUT /v1/indexes/{index}/vectors/{id}</c>; <c>expiresAt</c> or <c>ttlSeconds</c> give it an expiry.</summary>
public sealed record PutVectorRequest(
    [property: JsonConverter(typeof(FloatArrayJsonConverter))] float[]? Values,
    JsonElement? Metadata = null,
    string? Namespace = null,
    string? ExpiresAt = null,
    long? TtlSeconds = null)
{
    public UpsertVector ToUseCase(string index, string id) => new(index, id, Values, Metadata, Namespace, ExpiresAt, TtlSeconds);
}
