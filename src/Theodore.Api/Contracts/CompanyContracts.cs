using Theodore.Application.Companies;
using Theodore.Application.Embeddings;
using Theodore.Core.Domain.Companies;

namespace Theodore.Api.Contracts;

/// <summary>A company as the API answers it (docs/companies.md).</summary>
public sealed record CompanyResponse(
    string Id,
    string Name,
    string? Description,
    string? Industry,
    string? Size,
    int? FoundedYear,
    string? Country,
    string? Website,
    IReadOnlyList<string> Tags,
    IReadOnlyDictionary<string, object>? CustomFields)
{
    public static CompanyResponse From(Company company)
    {
        ArgumentNullException.ThrowIfNull(company);
        return new CompanyResponse(
            company.Id.Value,
            company.Name,
            company.Description,
            company.Industry,
            company.Size is { } size ? CompanySizes.Name(size) : null,
            company.FoundedYear,
            company.Country,
            company.Website?.ToString(),
            company.Tags,
            company.CustomFields.Count == 0 ? null : MetadataMapping.ToJson(Core.Domain.Metadata.Create(company.CustomFields)));
    }
}

public sealed record PutCompanyResponse(string Id, bool Created, bool Embedded)
{
    public static PutCompanyResponse From(CompanyWriteOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new PutCompanyResponse(outcome.Id, outcome.Status == CompanyWriteStatus.Created, outcome.Embedded);
    }
}

public sealed record CompanyRef(string Id, string Name);

public sealed record SharedResponse(string? Industry, string? Country, string? Size, IReadOnlyList<string>? Tags)
{
    public static SharedResponse From(SharedAttributes shared)
    {
        ArgumentNullException.ThrowIfNull(shared);
        return new SharedResponse(shared.Industry, shared.Country, shared.Size is { } s ? CompanySizes.Name(s) : null, shared.Tags.Count == 0 ? null : shared.Tags);
    }
}

public sealed record CompanyMatchResponse(float Score, CompanyResponse Company, SharedResponse? Shared = null)
{
    public static CompanyMatchResponse From(CompanyMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return new CompanyMatchResponse(match.Score, CompanyResponse.From(match.Company), match.Shared is { } s ? SharedResponse.From(s) : null);
    }
}

public sealed record SimilarCompaniesResponse(CompanyRef Company, IReadOnlyList<CompanyMatchResponse> Matches)
{
    public static SimilarCompaniesResponse From(SimilarCompanies result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new SimilarCompaniesResponse(new CompanyRef(result.Company.Id.Value, result.Company.Name), [.. result.Matches.Select(CompanyMatchResponse.From)]);
    }
}

public sealed record SearchCompaniesRequest(string? Text, int? TopK = null, System.Text.Json.JsonElement? Filter = null, float? MinScore = null, int? TimeoutMs = null)
{
    public SearchCompanies ToUseCase() => new(Text, TopK, Filter, MinScore, TimeoutMs);
}

public sealed record SearchCompaniesResponse(IReadOnlyList<CompanyMatchResponse> Matches);

public sealed record ContractResponse(string Model, string Version, int Dimension, bool Normalize)
{
    public static ContractResponse? From(GeneratorContract? contract) =>
        contract is null ? null : new ContractResponse(contract.Contract.Model, contract.Contract.Version, contract.Dimension, contract.Contract.Normalize);
}

public sealed record ReembedRequest(string? Provider, string? Model = null, int? Dimensions = null);

public sealed record ReembedResponse(
    string State,
    long Processed,
    long Total,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    ContractResponse? FromModel,
    ContractResponse? ToModel,
    string? FromIndex,
    string? ToIndex,
    string? Error)
{
    public static ReembedResponse From(ReembedStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new ReembedResponse(
            status.State.ToString().ToLowerInvariant(),
            status.Processed,
            status.Total,
            status.StartedAt,
            status.FinishedAt,
            ContractResponse.From(status.From),
            ContractResponse.From(status.To),
            status.FromIndex,
            status.ToIndex,
            status.Error);
    }
}

public sealed record CompanyStatsResponse(string Index, long Count, ContractResponse Embedding, ReembedResponse? Reembed)
{
    public static CompanyStatsResponse From(CompanyStatistics stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new CompanyStatsResponse(
            stats.Index,
            stats.Count,
            ContractResponse.From(stats.Embedding)!,
            stats.Reembed.State == ReembedState.None ? null : ReembedResponse.From(stats.Reembed));
    }
}

public sealed record ImportErrorResponse(string Path, string Code, string Message);

public sealed record ImportResultResponse(int Index, string? Id, string Status, IReadOnlyList<ImportErrorResponse>? Errors)
{
    public static ImportResultResponse From(CompanyImportResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new ImportResultResponse(
            result.Index,
            result.Id,
            result.Status.ToString().ToLowerInvariant(),
            result.Errors.Count == 0 ? null : [.. result.Errors.Select(e => new ImportErrorResponse(e.Path, e.Code, e.Message))]);
    }
}

public sealed record ImportSummaryResponse(int Total, int Created, int Updated, int Unchanged, int Failed, int Embedded, long DurationMs)
{
    public static ImportSummaryResponse From(CompanyImportSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        return new ImportSummaryResponse(summary.Total, summary.Created, summary.Updated, summary.Unchanged, summary.Failed, summary.Embedded, (long)summary.Duration.TotalMilliseconds);
    }
}
