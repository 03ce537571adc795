using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Query;

/// <summary>
/// The records most similar to a vector, best first (score descending, then id). The request is parsed once; the
/// storage checks the vector against its index (dimension, finite, non-zero for cosine) in the same call that
/// searches, so a query costs exactly one <see cref="IVectorStorage.SearchAsync"/>.
/// </summary>
public sealed record QueryByVector(string? Index, float[]? Vector, QueryOptions Options) : IRequest<SearchResult>
{
    /// <summary>The request as Core values, or an error listing every problem.</summary>
    internal (IndexName Index, ReadOnlyMemory<float> Vector, SearchOptions Options) Parse()
    {
        var parser = new RequestParser();
        var index = parser.Index(Index);
        var vector = parser.Values(Vector, "vector");
        var options = QueryOptionsRules.Parse(parser, Options);
        parser.ThrowIfInvalid();
        return (index, vector, options);
    }
}

public sealed class QueryByVectorHandler(IVectorStorage storage, QueryDefaults? defaults = null) : IRequestHandler<QueryByVector, SearchResult>
{
    private static readonly QueryDefaults NoDefaults = new();

    public async Task<SearchResult> Handle(QueryByVector request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (index, vector, options) = request.Parse();
        options = (defaults ?? NoDefaults).Apply(options, storage.Capabilities);
        await CostGuard.ThrowIfTooCostlyAsync(storage, index, options, request.Options.MaxCost, byId: false, cancellationToken).ConfigureAwait(false);
        return await storage.SearchAsync(index, vector, options, cancellationToken).ConfigureAwait(false);
    }
}
