using System.Text.Json;
using System.Text.Json.Serialization;
using Theodore.Application.Vectors;

namespace Theodore.Api.Contracts;

/// <summary>
/// One record to upsert: id, values and optional metadata (strings, numbers, booleans, lists of strings), and optionally
/// when it expires: <c>expiresAt</c> (ISO 8601) or <c>ttlSeconds</c> from now.
/// </summary>
public sealed record VectorRequest(
    string? Id,
    [property: JsonConverter(typeof(FloatArrayJsonConverter))] float[]? Values,
    JsonElement? Metadata = null,
    string? ExpiresAt = null,
    long? TtlSeconds = null)
{
    public VectorInput ToInput() => new(Id, Values, Metadata, ExpiresAt, TtlSeconds);
}
