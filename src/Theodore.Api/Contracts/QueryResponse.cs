using Theodore.Core.Domain;

namespace Theodore.Api.Contracts;

/// <summary>Matches best first (score descending, then id), whether they are approximate, and the search time.</summary>
public sealed record QueryResponse(IReadOnlyList<MatchResponse> Matches, bool Approximate, double TookMs)
{
    public static QueryResponse From(SearchResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new([.. result.Matches.Select(MatchResponse.From)], result.Approximate, result.Took.TotalMilliseconds);
    }
}
