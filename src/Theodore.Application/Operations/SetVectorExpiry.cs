using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Operations;

/// <summary>
/// Sets one record's expiry (<c>expiresAt</c> or <c>ttlSeconds</c> from now) or, with neither, clears it. A missing,
/// soft-deleted or expired record is a <see cref="RecordNotFoundException"/> (404).
/// </summary>
public sealed record SetVectorExpiry(string? Index, string? Id, string? ExpiresAt = null, long? TtlSeconds = null, string? Namespace = null)
    : IRequest<VectorExpiry>
{
    internal (IndexName Index, VectorId Id, DateTimeOffset? ExpiresAt, Namespace Namespace) Parse(DateTimeOffset now)
    {
        var parser = new RequestParser();
        var index = parser.Index(Index);
        var id = parser.Id(Id);
        var ns = parser.Namespace(Namespace);
        var expiresAt = parser.Expiry(ExpiresAt, TtlSeconds, now);
        parser.ThrowIfInvalid();
        return (index, id, expiresAt, ns);
    }
}

/// <summary>The record's expiry as set; null when it was cleared.</summary>
public sealed record VectorExpiry(VectorId Id, DateTimeOffset? ExpiresAt, bool Applied);

public sealed class SetVectorExpiryHandler(IVectorStorage storage, TimeProvider time) : IRequestHandler<SetVectorExpiry, VectorExpiry>
{
    public async Task<VectorExpiry> Handle(SetVectorExpiry request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (index, id, expiresAt, ns) = request.Parse(time.GetUtcNow());
        var result = await SingleOperation.ApplyAsync(storage, index, RecordOperation.SetExpiry(id, expiresAt), ns, cancellationToken).ConfigureAwait(false);
        return new VectorExpiry(id, expiresAt, result.Applied);
    }
}
