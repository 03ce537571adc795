using Theodore.Core.Domain;

namespace Theodore.Api.Contracts;

/// <summary>One match: higher score is more similar on every metric; distance where the metric has one.</summary>
public sealed record MatchResponse(string Id, float Score, float? Distance = null, float[]? Values = null, IReadOnlyDictionary<string, object>? Metadata = null)
{
    public static MatchResponse From(SearchMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        return new(
            match.Id.Value,
            match.Score,
            match.Distance,
            match.Values?.ToArray(),
            match.Metadata is { } metadata ? MetadataMapping.ToJson(metadata) : null);
    }
}
