using System.Text.Json;

namespace Theodore.Application.Vectors;

/// <summary>One record as the caller sent it: checked by the validators, turned into a <see cref="Core.Domain.VectorRecord"/> by the handler.</summary>
public sealed record VectorInput(string? Id, float[]? Values, JsonElement? Metadata = null);
