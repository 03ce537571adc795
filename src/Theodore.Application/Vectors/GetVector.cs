using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>One record by id; <see cref="RecordNotFoundException"/> when it does not exist in the namespace.</summary>
public sealed record GetVector(string? Index, string? Id, string? Namespace = null) : IRequest<VectorRecord>
{
    /// <summary>The request as Core values, parsed once, or an error listing every problem.</summary>
    internal (IndexName Index, VectorId Id, Namespace Namespace) Parse() => RequestParser.RecordAddress(Index, Id, Namespace);
}

public sealed class GetVectorHandler(IVectorStorage storage) : IRequestHandler<GetVector, VectorRecord>
{
    public async Task<VectorRecord> Handle(GetVector request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (index, id, ns) = request.Parse();
        var record = await storage.GetAsync(index, id, ns, cancellationToken).ConfigureAwait(false);
        return record ?? throw new RecordNotFoundException(index.Value, id.Value);
    }
}
