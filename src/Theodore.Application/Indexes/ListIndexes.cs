using MediatR;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Indexes;

/// <summary>Lists every index, ordered by name.</summary>
public sealed record ListIndexes : IRequest<ListIndexesResult>;

public sealed record ListIndexesResult(IReadOnlyList<IndexInfo> Indexes);

public sealed class ListIndexesHandler(IVectorStorage storage) : IRequestHandler<ListIndexes, ListIndexesResult>
{
    public async Task<ListIndexesResult> Handle(ListIndexes request, CancellationToken cancellationToken) =>
        new(await storage.ListIndexesAsync(cancellationToken).ConfigureAwait(false));
}
