using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Query;

/// <summary>
/// The records most similar to a stored one ("more like this"). The record itself is never a match (the port
/// guarantees it); a missing id is a <see cref="Core.Errors.RecordNotFoundException"/>. One port call.
/// </summary>
public sealed record QueryById(string? Index, string? Id, QueryOptions Options) : IRequest<SearchResult>
{
    /// <summary>The request as Core values, or an error listing every problem.</summary>
    internal (IndexName Index, VectorId Id, SearchOptions Options) Parse()
    {
        var parser = new RequestParser();
        var index = parser.Index(Index);
        var id = parser.Id(Id);
        var options = QueryOptionsRules.Parse(parser, Options);
        parser.ThrowIfInvalid();
        return (index, id, options);
    }
}

public sealed class QueryByIdHandler(IVectorStorage storage, QueryDefaults? defaults = null) : IRequestHandler<QueryById, SearchResult>
{
    private static readonly QueryDefaults NoDefaults = new();

    public async Task<SearchResult> Handle(QueryById request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (index, id, options) = request.Parse();
        options = (defaults ?? NoDefaults).Apply(options, storage.Capabilities);
        await CostGuard.ThrowIfTooCostlyAsync(storage, index, options, request.Options.MaxCost, byId: true, cancellationToken).ConfigureAwait(false);
        return await storage.SearchByIdAsync(index, id, options, cancellationToken).ConfigureAwait(false);
    }
}
