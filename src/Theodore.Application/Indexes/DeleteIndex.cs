using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Indexes;

/// <summary>Deletes an index and its records; <see cref="Core.Errors.IndexNotFoundException"/> when it does not exist.</summary>
public sealed record DeleteIndex(string? Index) : IRequest<Unit>
{
    /// <summary>The request as a Core value, parsed once; its one error otherwise.</summary>
    internal IndexName Parse() => RequestParsing.Index(Index);
}

public sealed class DeleteIndexHandler(IVectorStorage storage, IEnumerable<IIndexChangeListener> listeners) : IRequestHandler<DeleteIndex, Unit>
{
    public async Task<Unit> Handle(DeleteIndex request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = request.Parse();
        await storage.DeleteIndexAsync(index, cancellationToken).ConfigureAwait(false);
        listeners.Notify(index);
        return Unit.Value;
    }
}
