using FluentValidation;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Application.Query;

/// <summary>The checks and the mapping shared by both query use cases; the bounds are <see cref="SearchOptions"/>'s own.</summary>
internal static class QueryOptionsRules
{
    public static void Check<T>(ValidationContext<T> context, QueryOptions? options)
    {
        if (options is null)
        {
            context.AddError("topK", "topK is required");
            return;
        }

        if (options.TopK is not { } topK)
        {
            context.AddError("topK", "topK is required");
        }
        else
        {
            context.CheckWith(() => _ = new SearchOptions { TopK = topK });
        }

        if (options.Offset is { } offset)
        {
            context.CheckWith(() => _ = new SearchOptions { Offset = offset });
        }

        if (options.Ef is { } ef)
        {
            context.CheckWith(() => _ = new SearchOptions { Ef = ef });
        }

        if (options.ScoreThreshold is { } threshold && !float.IsFinite(threshold))
        {
            context.AddError("scoreThreshold", "must be a finite number");
        }

        context.CheckNamespace(options.Namespace);
        context.CheckFilter(options.Filter);
    }

    public static SearchOptions ToSearchOptions(QueryOptions? options)
    {
        if (options is null)
        {
            throw new InvalidRequestException("topK", "topK is required");
        }

        var defaults = new SearchOptions();
        return new SearchOptions
        {
            TopK = options.TopK ?? throw new InvalidRequestException("topK", "topK is required"),
            Offset = options.Offset ?? 0,
            Namespace = RequestParsing.Namespace(options.Namespace),
            Filter = RequestParsing.Filter(options.Filter),
            ScoreThreshold = options.ScoreThreshold,
            IncludeValues = options.IncludeValues ?? defaults.IncludeValues,
            IncludeMetadata = options.IncludeMetadata ?? defaults.IncludeMetadata,
            Ef = options.Ef,
            Exact = options.Exact ?? false,
        };
    }
}
