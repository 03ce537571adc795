using System.Text.Json;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>
/// Deletes by exactly one of: up to 1000 ids, a filter, or everything in the namespace. Ids that do not exist are
/// not an error here (a bulk delete is idempotent); <see cref="DeleteVectorsResult.DeletedCount"/> counts the ones that did.
/// </summary>
public sealed record DeleteVectors(
    string? Index,
    IReadOnlyList<string?>? Ids = null,
    JsonElement? Filter = null,
    bool? DeleteAll = null,
    string? Namespace = null) : IRequest<DeleteVectorsResult>
{
    public const int MaxIds = 1000;

    /// <summary>The request as Core values, parsed once, or an error listing every problem.</summary>
    internal (IndexName Index, Namespace Namespace, IReadOnlyList<VectorId>? Ids, FilterExpression? Filter) Parse()
    {
        var parser = new RequestParser();
        var index = parser.Index(Index);
        var ns = parser.Namespace(Namespace);
        var hasFilter = RequestParsing.IsPresent(Filter);
        var given = (Ids is not null ? 1 : 0) + (hasFilter ? 1 : 0) + (DeleteAll == true ? 1 : 0);
        if (given != 1)
        {
            parser.Add(string.Empty, given == 0
                ? "say what to delete: one of ids, filter or deleteAll: true"
                : "give exactly one of ids, filter or deleteAll: true");
        }

        var ids = Ids is null ? null : parser.Ids(Ids, MaxIds);
        var filter = parser.Filter(Filter);
        parser.ThrowIfInvalid();
        return (index, ns, ids, filter);
    }
}

public sealed record DeleteVectorsResult(long DeletedCount);

public sealed class DeleteVectorsHandler(IVectorStorage storage) : IRequestHandler<DeleteVectors, DeleteVectorsResult>
{
    public async Task<DeleteVectorsResult> Handle(DeleteVectors request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (index, ns, ids, filter) = request.Parse();
        if (ids is not null)
        {
            return new DeleteVectorsResult(await DeleteByIdsAsync(index, ids, ns, cancellationToken).ConfigureAwait(false));
        }

        // delete by filter and delete all need the batch port: one call per record would be unbounded
        var batch = storage.GetRequiredService<IBatchVectorStorage>();
        if (filter is not null)
        {
            return new DeleteVectorsResult(await batch.DeleteByFilterAsync(index, filter, ns, cancellationToken).ConfigureAwait(false));
        }

        return new DeleteVectorsResult(await batch.DeleteAllAsync(index, ns, cancellationToken).ConfigureAwait(false));
    }

    private async Task<long> DeleteByIdsAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns, CancellationToken cancellationToken)
    {
        if (storage.GetService<IBatchVectorStorage>() is { } batch)
        {
            var result = await batch.DeleteManyAsync(index, ids, ns, cancellationToken).ConfigureAwait(false);
            BatchFailures.ThrowIfIncomplete(result, "ids");
            return result.Succeeded;
        }

        long deleted = 0;
        foreach (var id in ids)
        {
            if (await storage.DeleteAsync(index, id, ns, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }

        return deleted;
    }
}
