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
            RerankFactor = options.RerankFactor is { } factor ? parser.With(() => new SearchOptions { RerankFactor = factor })?.RerankFactor : null,
            Namespace = parser.Namespace(options.Namespace),
            Filter = parser.Filter(options.Filter),
            ScoreThreshold = options.ScoreThreshold,
            IncludeValues = options.IncludeValues ?? Defaults.IncludeValues,
            IncludeMetadata = options.IncludeMetadata ?? Defaults.IncludeMetadata,
            Exact = options.Exact ?? false,
            Timeout = Timeout(parser, options.TimeoutMs),
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

    /// <summary>A request's deadline in milliseconds, 1 to <see cref="SearchOptions.MaxTimeout"/>; null leaves it to the default.</summary>
    public static TimeSpan? Timeout(RequestParser parser, int? milliseconds, string path = "timeoutMs")
    {
        var max = (int)SearchOptions.MaxTimeout.TotalMilliseconds;
        if (milliseconds is not { } ms)
        {
            return null;
        }

        if (ms is < 1 || ms > max)
        {
            parser.Add(path, $"must be between 1 and {max} milliseconds, got {ms}");
            return null;
        }

        return TimeSpan.FromMilliseconds(ms);
    }
}
