using System.Text.Json;
using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>Inserts or replaces one record by id.</summary>
public sealed record UpsertVector(string? Index, string? Id, float[]? Values, JsonElement? Metadata = null, string? Namespace = null)
    : IRequest<UpsertVectorsResult>;

public sealed class UpsertVectorValidator : AbstractValidator<UpsertVector>
{
    public UpsertVectorValidator()
    {
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
        RuleFor(r => r.Id).Custom((id, context) => context.CheckVectorId(id, "id"));
        RuleFor(r => r.Values).Custom((values, context) => context.CheckValues(values, "values"));
        RuleFor(r => r.Metadata).Custom((metadata, context) => context.CheckMetadata(metadata, "metadata"));
        RuleFor(r => r.Namespace).Custom((ns, context) => context.CheckNamespace(ns));
    }
}

public sealed class UpsertVectorHandler(IVectorStorage storage) : IRequestHandler<UpsertVector, UpsertVectorsResult>
{
    public async Task<UpsertVectorsResult> Handle(UpsertVector request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = RequestParsing.Index(request.Index);
        var record = new VectorRecord(RequestParsing.Id(request.Id), request.Values ?? [], RequestParsing.Metadata(request.Metadata));
        var ns = RequestParsing.Namespace(request.Namespace);

        var info = await storage.DescribeIndexAsync(index, cancellationToken).ConfigureAwait(false);
        IndexChecks.ThrowIfInvalid(info, [(record.Values, "values")], isWrite: true);
        await storage.UpsertAsync(index, record, ns, cancellationToken).ConfigureAwait(false);
        return new UpsertVectorsResult(1);
    }
}
