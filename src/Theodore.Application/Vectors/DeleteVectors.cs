using System.Text.Json;
using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
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
}

public sealed record DeleteVectorsResult(long DeletedCount);

public sealed class DeleteVectorsValidator : AbstractValidator<DeleteVectors>
{
    public DeleteVectorsValidator()
    {
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
        RuleFor(r => r.Namespace).Custom((ns, context) => context.CheckNamespace(ns));
        RuleFor(r => r).Custom((request, context) =>
        {
            var given = (request.Ids is not null ? 1 : 0) + (RequestParsing.IsPresent(request.Filter) ? 1 : 0) + (request.DeleteAll == true ? 1 : 0);
            if (given != 1)
            {
                context.AddError(string.Empty, given == 0
                    ? "say what to delete: one of ids, filter or deleteAll: true"
                    : "give exactly one of ids, filter or deleteAll: true");
            }
        });
        RuleFor(r => r.Ids).Custom((ids, context) =>
        {
            if (ids is null)
            {
                return;
            }

            context.CheckCount(ids, DeleteVectors.MaxIds, "ids", "id");
            if (ids.Count <= DeleteVectors.MaxIds)
            {
                for (var i = 0; i < ids.Count; i++)
                {
                    context.CheckVectorId(ids[i], $"ids[{i}]");
                }
            }
        });
        RuleFor(r => r.Filter).Custom((filter, context) => context.CheckFilter(filter));
    }
}

public sealed class DeleteVectorsHandler(IVectorStorage storage) : IRequestHandler<DeleteVectors, DeleteVectorsResult>
{
    public async Task<DeleteVectorsResult> Handle(DeleteVectors request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = RequestParsing.Index(request.Index);
        var ns = RequestParsing.Namespace(request.Namespace);

        if (request.Ids is { } rawIds)
        {
            var ids = rawIds.Select((id, i) => RequestParsing.Id(id, $"ids[{i}]")).ToList();
            return new DeleteVectorsResult(await DeleteByIdsAsync(index, ids, ns, cancellationToken).ConfigureAwait(false));
        }

        // delete by filter and delete all need the batch port: one call per record would be unbounded
        var batch = storage.GetRequiredService<IBatchVectorStorage>();
        if (RequestParsing.Filter(request.Filter) is { } filter)
        {
            return new DeleteVectorsResult(await batch.DeleteByFilterAsync(index, filter, ns, cancellationToken).ConfigureAwait(false));
        }

        if (request.DeleteAll != true)
        {
            throw new Core.Errors.InvalidRequestException(string.Empty, "say what to delete: one of ids, filter or deleteAll: true");
        }

        return new DeleteVectorsResult(await batch.DeleteAllAsync(index, ns, cancellationToken).ConfigureAwait(false));
    }

    private async Task<long> DeleteByIdsAsync(IndexName index, List<VectorId> ids, Namespace ns, CancellationToken cancellationToken)
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
