using System.Text.Json;
using System.Text.Json.Serialization;

namespace Theodore.Cli.Client;

// The shapes of docs/companies.md, as far as the CLI reads them. Unknown fields are ignored, so the API may add some.

internal sealed record Company(
    string Id,
    string? Name,
    string? Description = null,
    string? Industry = null,
    string? Size = null,
    int? FoundedYear = null,
    string? Country = null,
    string? Website = null,
    IReadOnlyList<string>? Tags = null,
    IReadOnlyDictionary<string, JsonElement>? CustomFields = null);

internal sealed record ImportItemError(string? Path, string? Code, string? Message);

internal sealed record ImportItemResult(int Index, string? Id, string Status, IReadOnlyList<ImportItemError>? Errors);

internal sealed record ImportSummary(int Total, int Created, int Updated, int Unchanged, int Failed, long DurationMs);

/// <summary>
/// The import's answer. It streams, so a storage failure after the first result cannot change the status any more:
/// the answer then ends with <see cref="Error"/> instead of <see cref="Summary"/>.
/// </summary>
internal sealed record ImportResponse(IReadOnlyList<ImportItemResult> Results, ImportSummary? Summary, ImportItemError? Error = null);

internal sealed record CompanyRef(string Id, string? Name);

internal sealed record SharedAttributes(string? Industry, string? Country, string? Size, IReadOnlyList<string>? Tags);

internal sealed record SimilarMatch(double Score, Company Company, SharedAttributes? Shared);

internal sealed record SimilarResponse(CompanyRef Company, IReadOnlyList<SimilarMatch> Matches);

internal sealed record SearchRequest(
    string Text,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? TopK,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] JsonElement? Filter,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? MinScore);

internal sealed record SearchMatch(double Score, Company Company);

internal sealed record SearchResponse(IReadOnlyList<SearchMatch> Matches);

internal sealed record EmbeddingContract(string? Model, string? Version, int Dimension, bool Normalize);

internal sealed record ReembedStatus(
    string State,
    long Processed,
    long Total,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    EmbeddingContract? From,
    EmbeddingContract? To,
    string? Error);

internal sealed record StatsResponse(string? Index, long Count, EmbeddingContract? Embedding, ReembedStatus? Reembed);

internal sealed record ReembedRequest(
    string Provider,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Model);

internal sealed record ProblemError(string? Path, string? Code, string? Message);

internal sealed record ProblemDetails(
    string? Type,
    string? Title,
    int? Status,
    string? Detail,
    string? Code,
    IReadOnlyList<ProblemError>? Errors,
    string? TraceId);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(Company))]
[JsonSerializable(typeof(ImportResponse))]
[JsonSerializable(typeof(SimilarResponse))]
[JsonSerializable(typeof(SearchRequest))]
[JsonSerializable(typeof(SearchResponse))]
[JsonSerializable(typeof(StatsResponse))]
[JsonSerializable(typeof(ReembedRequest))]
[JsonSerializable(typeof(ReembedStatus))]
[JsonSerializable(typeof(ProblemDetails))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
