using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>Inserts or replaces up to 1000 records in one namespace; one bad record refuses the whole request.</summary>
public sealed record UpsertVectors(string? Index, IReadOnlyList<VectorInput>? Vectors, string? Namespace = null) : IRequest<UpsertVectorsResult>
{
    public const int MaxVectors = 1000;
}

public sealed record UpsertVectorsResult(int UpsertedCount);

public sealed class UpsertVectorsValidator : AbstractValidator<UpsertVectors>
{
    public UpsertVectorsValidator()
    {
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
        RuleFor(r => r.Namespace).Custom((ns, context) => context.CheckNamespace(ns));
        RuleFor(r => r.Vectors).Custom((vectors, context) =>
        {
            context.CheckCount(vectors, UpsertVectors.MaxVectors, "vectors", "vector");
            if (vectors is null || vectors.Count > UpsertVectors.MaxVectors)
            {
                return;
            }

            var firstSeen = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < vectors.Count; i++)
            {
                var path = $"vectors[{i}]";
                if (vectors[i] is not { } vector)
                {
                    context.AddError(path, "a vector record is required");
                    continue;
                }

                context.CheckVectorId(vector.Id, $"{path}.id");
                if (vector.Id is not null && !firstSeen.TryAdd(vector.Id, i))
                {
                    context.AddError($"{path}.id", $"duplicate id; vectors[{firstSeen[vector.Id]}] has it already");
                }

                context.CheckValues(vector.Values, $"{path}.values");
                context.CheckMetadata(vector.Metadata, $"{path}.metadata");
            }
        });
    }
}

public sealed class UpsertVectorsHandler(IVectorStorage storage) : IRequestHandler<UpsertVectors, UpsertVectorsResult>
{
    public async Task<UpsertVectorsResult> Handle(UpsertVectors request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = RequestParsing.Index(request.Index);
        var ns = RequestParsing.Namespace(request.Namespace);
        var records = (request.Vectors ?? []).Select((v, i) => new VectorRecord(
            RequestParsing.Id(v.Id, $"vectors[{i}].id"),
            v.Values ?? [],
            RequestParsing.Metadata(v.Metadata, $"vectors[{i}].metadata"))).ToList();

        var info = await storage.DescribeIndexAsync(index, cancellationToken).ConfigureAwait(false);
        IndexChecks.ThrowIfInvalid(info, records.Select((r, i) => (r.Values, $"vectors[{i}].values")), isWrite: true);

        if (storage.GetService<IBatchVectorStorage>() is { } batch)
        {
            var result = await batch.UpsertManyAsync(index, records, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            BatchFailures.ThrowIfIncomplete(result, "vectors");
            return new UpsertVectorsResult(result.Succeeded);
        }

        foreach (var record in records)
        {
            await storage.UpsertAsync(index, record, ns, cancellationToken).ConfigureAwait(false);
        }

        return new UpsertVectorsResult(records.Count);
    }
}
