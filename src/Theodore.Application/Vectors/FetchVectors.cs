using MediatR;
using Theodore.Application.Common;
using Theodore.Application.Operations;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>
/// Fetches up to 1000 records by id; the ones that exist come back in request order, missing ids are left out.
/// With <see cref="IncludeDeleted"/> soft-deleted records come back too, each with its DeletedAt (501 on a backend
/// without soft delete); expired records never do.
/// </summary>
public sealed record FetchVectors(string? Index, IReadOnlyList<string?>? Ids, string? Namespace = null, bool IncludeDeleted = false) : IRequest<FetchVectorsResult>
{
    public const int MaxIds = 1000;

    /// <summary>The request as Core values, parsed once, or an error listing every problem.</summary>
    internal (IndexName Index, IReadOnlyList<VectorId> Ids, Namespace Namespace) Parse()
    {
        var parser = new RequestParser();
        var index = parser.Index(Index);
        var ns = parser.Namespace(Namespace);
        var ids = parser.Ids(Ids, MaxIds);
        parser.ThrowIfInvalid();
        return (index, ids, ns);
    }
}

public sealed record FetchVectorsResult(IReadOnlyList<VectorRecord> Vectors);

public sealed class FetchVectorsHandler(IVectorStorage storage) : IRequestHandler<FetchVectors, FetchVectorsResult>
{
    public async Task<FetchVectorsResult> Handle(FetchVectors request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (index, ids, ns) = request.Parse();
        if (request.IncludeDeleted)
        {
            var port = storage.GetRequiredService<IRecordOperationsStorage>();
            OperationSupport.ThrowIfNoSoftDelete(storage.Capabilities);
            return new FetchVectorsResult(await port.GetManyAsync(index, ids, includeDeleted: true, ns, cancellationToken).ConfigureAwait(false));
        }

        if (storage.GetService<IBatchVectorStorage>() is { } batch)
        {
            return new FetchVectorsResult(await batch.GetManyAsync(index, ids, ns, cancellationToken).ConfigureAwait(false));
        }

        var found = new List<VectorRecord>(ids.Count);
        foreach (var id in ids)
        {
            if (await storage.GetAsync(index, id, ns, cancellationToken).ConfigureAwait(false) is { } record)
            {
                found.Add(record);
            }
        }

        return new FetchVectorsResult(found);
    }
}
