using System.Text.Json;

namespace Theodore.Application.Vectors;

/// <summary>
/// One record as the caller sent it: checked by the validators, turned into a <see cref="Core.Domain.VectorRecord"/> by
/// the handler. An expiry is given as <see cref="ExpiresAt"/> (ISO 8601) or <see cref="TtlSeconds"/> from now, not both.
/// </summary>
public sealed record VectorInput(string? Id, float[]? Values, JsonElement? Metadata = null, string? ExpiresAt = null, long? TtlSeconds = null);
