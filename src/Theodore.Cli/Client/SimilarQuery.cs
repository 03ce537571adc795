namespace Theodore.Cli.Client;

/// <summary>The query string of <c>GET /v1/companies/{id}/similar</c>; null means "not sent".</summary>
internal sealed record SimilarQuery(
    int? TopK = null,
    string? Industry = null,
    string? Country = null,
    string? Size = null,
    int? FoundedFrom = null,
    int? FoundedTo = null,
    IReadOnlyList<string>? Tags = null,
    double? MinScore = null);
