using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>Fetches up to 1000 records by id; the ones that exist come back in request order, missing ids are left out.</summary>
public sealed record FetchVectors(string? Index, IReadOnlyList<string?>? Ids, string? Namespace = null) : IRequest<FetchVectorsResult>
{
    public const int MaxIds = 1000;
}

public sealed record FetchVectorsResult(IReadOnlyList<VectorRecord> Vectors);

public sealed class FetchVectorsValidator : AbstractValidator<FetchVectors>
{
    public FetchVectorsValidator()
    {
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
        RuleFor(r => r.Namespace).Custom((ns, context) => context.CheckNamespace(ns));
        RuleFor(r => r.Ids).Custom((ids, context) =>
        {
            context.CheckCount(ids, FetchVectors.MaxIds, "ids", "id");
            if (ids is not null && ids.Count <= FetchVectors.MaxIds)
            {
                for (var i = 0; i < ids.Count; i++)
                {
                    context.CheckVectorId(ids[i], $"ids[{i}]");
                }
            }
        });
    }
}

public sealed class FetchVectorsHandler(IVectorStorage storage) : IRequestHandler<FetchVectors, FetchVectorsResult>
{
    public async Task<FetchVectorsResult> Handle(FetchVectors request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = RequestParsing.Index(request.Index);
        var ns = RequestParsing.Namespace(request.Namespace);
        var ids = (request.Ids ?? []).Select((id, i) => RequestParsing.Id(id, $"ids[{i}]")).ToList();

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
