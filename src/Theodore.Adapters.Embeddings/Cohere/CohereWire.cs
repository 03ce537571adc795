using System.Text.Json.Serialization;
using Refit;

namespace Theodore.Adapters.Embeddings.Cohere;

/// <summary>Cohere's Embed API v2 (<c>POST /v2/embed</c>), the one operation the generator calls.</summary>
[Headers("Accept: application/json")]
internal interface ICohereApi
{
    [Post("/v2/embed")]
    Task<CohereEmbedResponse> EmbedAsync([Body] CohereEmbedRequest request, CancellationToken cancellationToken);
}

/// <summary>The request body; <c>output_dimension</c> is left out when null (only embed-v4.0 takes it).</summary>
internal sealed record CohereEmbedRequest(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("texts")] IReadOnlyList<string> Texts,
    [property: JsonPropertyName("input_type")] string InputType,
    [property: JsonPropertyName("embedding_types")] IReadOnlyList<string> EmbeddingTypes,
    [property: JsonPropertyName("output_dimension")] int? OutputDimension);

/// <summary>The parts of the answer the generator reads: the float vectors, one per text in order.</summary>
internal sealed record CohereEmbedResponse(
    [property: JsonPropertyName("id")] string? Id,
    [property: JsonPropertyName("embeddings")] CohereEmbeddingsByType? Embeddings,
    [property: JsonPropertyName("texts")] IReadOnlyList<string>? Texts,
    [property: JsonPropertyName("meta")] CohereMeta? Meta);

internal sealed record CohereEmbeddingsByType([property: JsonPropertyName("float")] IReadOnlyList<float[]>? Float);

internal sealed record CohereMeta([property: JsonPropertyName("billed_units")] CohereBilledUnits? BilledUnits);

internal sealed record CohereBilledUnits([property: JsonPropertyName("input_tokens")] double? InputTokens);

/// <summary>Source-generated serialization of the wire types; nulls left out.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CohereEmbedRequest))]
[JsonSerializable(typeof(CohereEmbedResponse))]
internal sealed partial class CohereJsonContext : JsonSerializerContext;
