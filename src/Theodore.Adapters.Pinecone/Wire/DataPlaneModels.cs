using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Theodore.Adapters.Pinecone.Wire;

// The data plane speaks camelCase (2026-04 spec); sparse values are never sent: Theodore's indexes are dense.

internal sealed record PineconeVector(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("values")] float[]? Values,
    [property: JsonPropertyName("metadata")] JsonObject? Metadata);

internal sealed record UpsertRequest(
    [property: JsonPropertyName("vectors")] IReadOnlyList<PineconeVector> Vectors,
    [property: JsonPropertyName("namespace")] string? Namespace);

internal sealed record UpsertResponse([property: JsonPropertyName("upsertedCount")] long? UpsertedCount);

internal sealed record QueryRequest
{
    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("topK")]
    public required int TopK { get; init; }

    [JsonPropertyName("filter")]
    public JsonObject? Filter { get; init; }

    [JsonPropertyName("includeValues")]
    public bool IncludeValues { get; init; }

    [JsonPropertyName("includeMetadata")]
    public bool IncludeMetadata { get; init; }

    [JsonPropertyName("vector")]
    public float[]? Vector { get; init; }

    [JsonPropertyName("id")]
    public string? Id { get; init; }
}

internal sealed record QueryResponse(
    [property: JsonPropertyName("matches")] IReadOnlyList<ScoredVector>? Matches,
    [property: JsonPropertyName("namespace")] string? Namespace);

internal sealed record ScoredVector(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("score")] double? Score,
    [property: JsonPropertyName("values")] float[]? Values,
    [property: JsonPropertyName("metadata")] JsonObject? Metadata);

internal sealed record FetchResponse(
    [property: JsonPropertyName("vectors")] Dictionary<string, PineconeVector>? Vectors,
    [property: JsonPropertyName("namespace")] string? Namespace);

internal sealed record DeleteRequest
{
    [JsonPropertyName("ids")]
    public IReadOnlyList<string>? Ids { get; init; }

    [JsonPropertyName("deleteAll")]
    public bool? DeleteAll { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("filter")]
    public JsonObject? Filter { get; init; }
}

/// <summary>Pinecone answers <c>{}</c> to a delete; the type only gives the body a name.</summary>
internal sealed record EmptyResponse;

internal sealed record UpdateRequest
{
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    [JsonPropertyName("setMetadata")]
    public JsonObject? SetMetadata { get; init; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; init; }

    [JsonPropertyName("filter")]
    public JsonObject? Filter { get; init; }

    [JsonPropertyName("dryRun")]
    public bool? DryRun { get; init; }
}

internal sealed record UpdateResponse([property: JsonPropertyName("matchedRecords")] int? MatchedRecords);

internal sealed record ListResponse(
    [property: JsonPropertyName("vectors")] IReadOnlyList<ListItem>? Vectors,
    [property: JsonPropertyName("pagination")] Pagination? Pagination,
    [property: JsonPropertyName("namespace")] string? Namespace);

internal sealed record ListItem([property: JsonPropertyName("id")] string Id);

internal sealed record Pagination([property: JsonPropertyName("next")] string? Next);

internal sealed record DescribeIndexStatsRequest([property: JsonPropertyName("filter")] JsonObject? Filter = null);

internal sealed record IndexDescription(
    [property: JsonPropertyName("namespaces")] Dictionary<string, NamespaceSummary>? Namespaces,
    [property: JsonPropertyName("dimension")] int? Dimension,
    [property: JsonPropertyName("totalVectorCount")] long? TotalVectorCount,
    [property: JsonPropertyName("metric")] string? Metric,
    [property: JsonPropertyName("vectorType")] string? VectorType);

internal sealed record NamespaceSummary([property: JsonPropertyName("vectorCount")] long? VectorCount);

/// <summary>The data plane's error body, google.rpc.Status as JSON: <c>{"code":3,"message":"...","details":[]}</c>.</summary>
internal sealed record RpcStatus(
    [property: JsonPropertyName("code")] int? Code,
    [property: JsonPropertyName("message")] string? Message);
