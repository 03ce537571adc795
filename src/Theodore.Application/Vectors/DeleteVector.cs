using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>
/// Deletes one record by id. A missing record is a <see cref="RecordNotFoundException"/> (HTTP 404), unlike the
/// port, which answers false: a DELETE of one named resource that is not there is an error the caller should see.
/// </summary>
public sealed record DeleteVector(string? Index, string? Id, string? Namespace = null) : IRequest<Unit>
{
    /// <summary>The request as Core values, parsed once, or an error listing every problem.</summary>
    internal (IndexName Index, VectorId Id, Namespace Namespace) Parse() => RequestParser.RecordAddress(Index, Id, Namespace);
}

public sealed class DeleteVectorHandler(IVectorStorage storage) : IRequestHandler<DeleteVector, Unit>
{
    public async Task<Unit> Handle(DeleteVector request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (index, id, ns) = request.Parse();
        var deleted = await storage.DeleteAsync(index, id, ns, cancellationToken).ConfigureAwait(false);
        return deleted ? Unit.Value : throw new RecordNotFoundException(index.Value, id.Value);
    }
}
