using System.Text.Json;
using MediatR;
using Theodore.Application.Common;
using Theodore.Application.Query;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Companies;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;

namespace Theodore.Application.Companies;

/// <summary>A company found, its similarity, and (for "like this one") what it shares with the company asked about.</summary>
public sealed record CompanyMatch(Company Company, float Score, SharedAttributes? Shared = null);

/// <summary>The attributes a match has in common with the company it was found for; null where they differ.</summary>
public sealed record SharedAttributes(string? Industry, string? Country, CompanySize? Size, IReadOnlyList<string> Tags)
{
    public static SharedAttributes Between(Company query, Company match)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(match);
        return new SharedAttributes(
            query.Industry is { } i && i == match.Industry ? i : null,
            query.Country is { } c && c == match.Country ? c : null,
            query.Size is { } s && s == match.Size ? s : null,
            [.. query.Tags.Intersect(match.Tags, StringComparer.Ordinal)]);
    }
}

public sealed record SimilarCompanies(Company Company, IReadOnlyList<CompanyMatch> Matches);

/// <summary>
/// "Which companies are like this one?": the nearest companies to its stored vector, itself excluded, narrowed by the
/// optional attributes, each with what it shares with it. Two storage calls, side by side: the company and the search.
/// </summary>
public sealed record FindSimilarCompanies(
    string? Id,
    int? TopK = null,
    string? Industry = null,
    string? Country = null,
    string? Size = null,
    int? FoundedFrom = null,
    int? FoundedTo = null,
    IReadOnlyList<string>? Tags = null,
    float? MinScore = null,
    int? TimeoutMs = null) : IRequest<SimilarCompanies>
{
    public const int DefaultTopK = 10;
    public const int MaxTopK = 100;

    internal (VectorId Id, SearchOptions Options) Parse()
    {
        var parser = new RequestParser();
        var id = parser.Id(Id);
        var clauses = new List<FilterExpression>();
        if (!string.IsNullOrWhiteSpace(Industry))
        {
            clauses.Add(Filter.Eq(CompanyMetadata.Industry, Industry.Trim().ToLowerInvariant()));
        }

        if (!string.IsNullOrWhiteSpace(Country))
        {
            clauses.Add(Filter.Eq(CompanyMetadata.Country, Country.Trim().ToUpperInvariant()));
        }

        if (!string.IsNullOrWhiteSpace(Size))
        {
            if (CompanySizes.TryParse(Size, out var size))
            {
                clauses.Add(Filter.Eq(CompanyMetadata.Size, CompanySizes.Name(size)));
            }
            else
            {
                parser.Add("size", $"must be one of {string.Join(", ", CompanySizes.Names)}, got '{Size}'");
            }
        }

        if (FoundedFrom is { } from)
        {
            clauses.Add(Filter.Gte(CompanyMetadata.Founded, from));
        }

        if (FoundedTo is { } to)
        {
            clauses.Add(Filter.Lte(CompanyMetadata.Founded, to));
        }

        if (FoundedFrom > FoundedTo)
        {
            parser.Add("foundedFrom", $"must not be after foundedTo ({FoundedFrom} > {FoundedTo})");
        }

        foreach (var tag in Tags ?? [])
        {
            if (!string.IsNullOrWhiteSpace(tag))
            {
                // eq on a list field matches a list holding the value, on every backend; contains (substring or
                // element) has no Pinecone operator, so /similar?tag= was refused there with 400 unsupported_filter
                clauses.Add(Filter.Eq(CompanyMetadata.Tags, tag.Trim().ToLowerInvariant()));
            }
        }

        var options = CompanyQueries.Options(parser, TopK, MinScore, clauses.Count switch
        {
            0 => null,
            1 => clauses[0],
            _ => Filter.And([.. clauses]),
        }, TimeoutMs);
        parser.ThrowIfInvalid();
        return (id, options);
    }
}

public sealed class FindSimilarCompaniesHandler(CompanyIndex index, QueryDefaults? defaults = null) : IRequestHandler<FindSimilarCompanies, SimilarCompanies>
{
    public async Task<SimilarCompanies> Handle(FindSimilarCompanies request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (id, options) = request.Parse();
        using var lease = await index.ReadAsync(cancellationToken).ConfigureAwait(false);
        var storage = index.Storage;
        options = CompanyQueries.WithDefaults(defaults, options, storage);
        var company = storage.GetAsync(lease.Binding.Index, id, cancellationToken: cancellationToken).AsTask();
        var search = storage.SearchByIdAsync(lease.Binding.Index, id, options, cancellationToken).AsTask();
        try
        {
            await Task.WhenAll(company, search).ConfigureAwait(false);
        }
        catch (RecordNotFoundException)
        {
            // the search names the physical index; the caller knows the companies by their logical one
            throw new RecordNotFoundException(index.Name.Value, id.Value);
        }

        var record = await company.ConfigureAwait(false) ?? throw new RecordNotFoundException(index.Name.Value, id.Value);
        var found = await search.ConfigureAwait(false);
        var query = CompanyMetadata.FromMetadata(record.Id, record.Metadata);
        var matches = CompanyQueries.Matches(found, match => SharedAttributes.Between(query, match));
        return new SimilarCompanies(query, matches);
    }
}

/// <summary>"Which companies do X?": the companies nearest to the embedded text, narrowed by a filter on their fields.</summary>
public sealed record SearchCompanies(string? Text, int? TopK = null, JsonElement? Filter = null, float? MinScore = null, int? TimeoutMs = null) : IRequest<IReadOnlyList<CompanyMatch>>
{
    public const int MaxTextLength = 2000;

    internal (string Text, SearchOptions Options) Parse()
    {
        var parser = new RequestParser();
        var text = Text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            parser.Add("text", "a text to search for is required");
        }
        else if (text.Length > MaxTextLength)
        {
            parser.Add("text", $"has at most {MaxTextLength} characters, got {text.Length}");
        }

        var options = CompanyQueries.Options(parser, TopK, MinScore, parser.Filter(Filter), TimeoutMs);
        parser.ThrowIfInvalid();
        return (text!, options);
    }
}

public sealed class SearchCompaniesHandler(CompanyIndex index, QueryDefaults? defaults = null) : IRequestHandler<SearchCompanies, IReadOnlyList<CompanyMatch>>
{
    public async Task<IReadOnlyList<CompanyMatch>> Handle(SearchCompanies request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (text, options) = request.Parse();
        using var lease = await index.ReadAsync(cancellationToken).ConfigureAwait(false);
        var vector = await lease.Binding.EmbedQueryAsync(text, cancellationToken).ConfigureAwait(false);
        options = CompanyQueries.WithDefaults(defaults, options, index.Storage);
        var result = await index.Storage.SearchAsync(lease.Binding.Index, vector, options, cancellationToken).ConfigureAwait(false);
        return CompanyQueries.Matches(result, shared: null);
    }
}

internal static class CompanyQueries
{
    public static SearchOptions Options(RequestParser parser, int? topK, float? minScore, FilterExpression? filter, int? timeoutMs)
    {
        var k = topK ?? FindSimilarCompanies.DefaultTopK;
        if (k is < 1 or > FindSimilarCompanies.MaxTopK)
        {
            parser.Add("topK", $"must be between 1 and {FindSimilarCompanies.MaxTopK}, got {k}");
            k = FindSimilarCompanies.DefaultTopK;
        }

        if (minScore is { } score && (!float.IsFinite(score) || score < -1 || score > 1))
        {
            parser.Add("minScore", $"must be a similarity between -1 and 1, got {score}");
            minScore = null;
        }

        var timeout = QueryOptionsRules.Timeout(parser, timeoutMs);
        return new SearchOptions { TopK = k, Filter = filter, ScoreThreshold = minScore, IncludeMetadata = true, Timeout = timeout };
    }

    // the search's deadline; the embedding of a text search runs before it and is not counted
    public static SearchOptions WithDefaults(QueryDefaults? defaults, SearchOptions options, Core.Ports.IVectorStorage storage) =>
        defaults is null ? options : defaults.Apply(options, storage.Capabilities);

    public static IReadOnlyList<CompanyMatch> Matches(SearchResult result, Func<Company, SharedAttributes>? shared)
    {
        var matches = new List<CompanyMatch>(result.Matches.Count);
        foreach (var match in result.Matches)
        {
            var company = CompanyMetadata.FromMetadata(match.Id, match.Metadata ?? Metadata.Empty);
            matches.Add(new CompanyMatch(company, match.Score, shared?.Invoke(company)));
        }

        return matches;
    }
}
