using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Indexes;

/// <summary>Checks an index's stored state; a backend that cannot says so with an unsupported-operation error.</summary>
public sealed record CheckIndexIntegrity(string? Index) : IRequest<IntegrityReport>
{
    /// <summary>The request as a Core value, parsed once; its one error otherwise.</summary>
    internal IndexName Parse() => RequestParsing.Index(Index);
}

public sealed class CheckIndexIntegrityHandler(IVectorStorage storage) : IRequestHandler<CheckIndexIntegrity, IntegrityReport>
{
    public async Task<IntegrityReport> Handle(CheckIndexIntegrity request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var checker = storage.GetRequiredService<IIntegrityCheckedStorage>();
        return await checker.CheckIntegrityAsync(request.Parse(), cancellationToken).ConfigureAwait(false);
    }
}
