using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Operations;

/// <summary>
/// Hides one record from search, get, fetch and list until it is restored or compaction purges it. A missing record is
/// a <see cref="RecordNotFoundException"/> (404); an already soft-deleted one is not applied again, without error.
/// </summary>
public sealed record SoftDeleteVector(string? Index, string? Id, string? Namespace = null) : IRequest<RecordOperationResult>
{
    internal (IndexName Index, VectorId Id, Namespace Namespace) Parse() => RequestParser.RecordAddress(Index, Id, Namespace);
}

public sealed class SoftDeleteVectorHandler(IVectorStorage storage) : IRequestHandler<SoftDeleteVector, RecordOperationResult>
{
    public Task<RecordOperationResult> Handle(SoftDeleteVector request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (index, id, ns) = request.Parse();
        return SingleOperation.ApplyAsync(storage, index, RecordOperation.SoftDelete(id), ns, cancellationToken);
    }
}

/// <summary>
/// Makes a soft-deleted record visible again. A missing record is a <see cref="RecordNotFoundException"/> (404); a live
/// one is left as it is (<see cref="RecordOperationResult.Applied"/> false), without error.
/// </summary>
public sealed record RestoreVector(string? Index, string? Id, string? Namespace = null) : IRequest<RecordOperationResult>
{
    internal (IndexName Index, VectorId Id, Namespace Namespace) Parse() => RequestParser.RecordAddress(Index, Id, Namespace);
}

public sealed class RestoreVectorHandler(IVectorStorage storage) : IRequestHandler<RestoreVector, RecordOperationResult>
{
    public Task<RecordOperationResult> Handle(RestoreVector request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (index, id, ns) = request.Parse();
        return SingleOperation.ApplyAsync(storage, index, RecordOperation.Restore(id), ns, cancellationToken);
    }
}
