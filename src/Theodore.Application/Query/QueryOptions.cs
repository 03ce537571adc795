using System.Text.Json;

namespace Theodore.Application.Query;

/// <summary>
/// How to search, as the caller sent it. Null means the default (includeMetadata true, includeValues false, the host's
/// default deadline for timeoutMs).
/// <see cref="MaxCost"/>: refuse the query (422 query_too_costly) when its estimated distance computations are over it.
/// </summary>
public sealed record QueryOptions(
    int? TopK,
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
    int? RerankFactor = null);
