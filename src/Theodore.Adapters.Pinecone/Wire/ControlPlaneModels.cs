using System.Text.Json;
using System.Text.Json.Serialization;

namespace Theodore.Adapters.Pinecone.Wire;

// The control plane speaks snake_case (2026-04 spec, components/schemas); names are explicit, never a policy.

internal sealed record CreateIndexRequest(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("dimension")] int Dimension,
    [property: JsonPropertyName("metric")] string Metric,
    [property: JsonPropertyName("spec")] IndexSpec Spec,
    [property: JsonPropertyName("deletion_protection")] string DeletionProtection,
    [property: JsonPropertyName("tags")] IReadOnlyDictionary<string, string>? Tags,
    [property: JsonPropertyName("vector_type")] string VectorType);

internal sealed record IndexSpec([property: JsonPropertyName("serverless")] ServerlessSpec Serverless);

internal sealed record ServerlessSpec(
    [property: JsonPropertyName("cloud")] string Cloud,
    [property: JsonPropertyName("region")] string Region);

internal sealed record IndexModel
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("dimension")]
    public int? Dimension { get; init; }

    [JsonPropertyName("metric")]
    public required string Metric { get; init; }

    [JsonPropertyName("host")]
    public string? Host { get; init; }

    [JsonPropertyName("deletion_protection")]
    public string? DeletionProtection { get; init; }

    [JsonPropertyName("tags")]
    public Dictionary<string, string>? Tags { get; init; }

    [JsonPropertyName("spec")]
    public JsonElement Spec { get; init; }

    [JsonPropertyName("status")]
    public IndexStatus? Status { get; init; }

    [JsonPropertyName("vector_type")]
    public string? VectorType { get; init; }
}

internal sealed record IndexStatus(
    [property: JsonPropertyName("ready")] bool Ready,
    [property: JsonPropertyName("state")] string? State);

internal sealed record IndexList([property: JsonPropertyName("indexes")] IReadOnlyList<IndexModel>? Indexes);

/// <summary>The control plane's error body: <c>{"error":{"code","message"},"status"}</c>.</summary>
internal sealed record ControlPlaneError(
    [property: JsonPropertyName("error")] ControlPlaneErrorDetail? Error,
    [property: JsonPropertyName("status")] int? Status);

internal sealed record ControlPlaneErrorDetail(
    [property: JsonPropertyName("code")] string? Code,
    [property: JsonPropertyName("message")] string? Message);
