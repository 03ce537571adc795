using Theodore.Application.Common;
using Theodore.Core.Domain;

namespace Theodore.Application.Query;

/// <summary>The search options both query use cases parse; the bounds are <see cref="SearchOptions"/>'s own.</summary>
internal static class QueryOptionsRules
{
    private static readonly SearchOptions Defaults = new();

    public static SearchOptions Parse(RequestParser parser, QueryOptions? options)
    {
        if (options?.TopK is not { } topK)
        {
            parser.Add("topK", "topK is required");
            topK = Defaults.TopK;
        }

        options ??= new QueryOptions(null);
        var parsed = new SearchOptions
        {
            TopK = parser.With(() => new SearchOptions { TopK = topK })?.TopK ?? Defaults.TopK,
            Offset = options.Offset is { } offset ? parser.With(() => new SearchOptions { Offset = offset })?.Offset ?? 0 : 0,
            Ef = options.Ef is { } ef ? parser.With(() => new SearchOptions { Ef = ef })?.Ef : null,
            Namespace = parser.Namespace(options.Namespace),
            Filter = parser.Filter(options.Filter),
            ScoreThreshold = options.ScoreThreshold,
            IncludeValues = options.IncludeValues ?? Defaults.IncludeValues,
            IncludeMetadata = options.IncludeMetadata ?? Defaults.IncludeMetadata,
            Exact = options.Exact ?? false,
        };

        if (options.MaxCost is < 1)
        {
            parser.Add("maxCost", "must be at least 1 distance computation");
        }

        if (options.ScoreThreshold is { } threshold && !float.IsFinite(threshold))
        {
            parser.Add("scoreThreshold", "must be a finite number");
        }

        return parsed;
    }
}
