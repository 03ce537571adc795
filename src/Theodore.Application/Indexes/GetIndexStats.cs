using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Indexes;

/// <summary>Vector counts (in total and per namespace), memory and metadata fields of one index.</summary>
public sealed record GetIndexStats(string? Index) : IRequest<IndexStats>
{
    /// <summary>The request as a Core value, parsed once; its one error otherwise.</summary>
    internal IndexName Parse() => RequestParsing.Index(Index);
}

public sealed class GetIndexStatsHandler(IVectorStorage storage) : IRequestHandler<GetIndexStats, IndexStats>
{
    public async Task<IndexStats> Handle(GetIndexStats request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await storage.GetStatsAsync(request.Parse(), cancellationToken).ConfigureAwait(false);
    }
}
