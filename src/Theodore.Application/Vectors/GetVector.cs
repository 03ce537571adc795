using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>One record by id; <see cref="RecordNotFoundException"/> when it does not exist in the namespace.</summary>
public sealed record GetVector(string? Index, string? Id, string? Namespace = null) : IRequest<VectorRecord>;

public sealed class GetVectorValidator : AbstractValidator<GetVector>
{
    public GetVectorValidator()
    {
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
        RuleFor(r => r.Id).Custom((id, context) => context.CheckVectorId(id, "id"));
        RuleFor(r => r.Namespace).Custom((ns, context) => context.CheckNamespace(ns));
    }
}

public sealed class GetVectorHandler(IVectorStorage storage) : IRequestHandler<GetVector, VectorRecord>
{
    public async Task<VectorRecord> Handle(GetVector request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = RequestParsing.Index(request.Index);
        var id = RequestParsing.Id(request.Id);
        var record = await storage.GetAsync(index, id, RequestParsing.Namespace(request.Namespace), cancellationToken).ConfigureAwait(false);
        return record ?? throw new RecordNotFoundException(index.Value, id.Value);
    }
}
