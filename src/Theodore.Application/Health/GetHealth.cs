using MediatR;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Health;

/// <summary>The storage backend's health as the configured stack reports it.</summary>
public sealed record GetHealth : IRequest<StorageHealth>;

public sealed class GetHealthHandler(IVectorStorage storage) : IRequestHandler<GetHealth, StorageHealth>
{
    public async Task<StorageHealth> Handle(GetHealth request, CancellationToken cancellationToken) =>
        await storage.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
}
