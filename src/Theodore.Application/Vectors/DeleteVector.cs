using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>
/// Deletes one record by id. A missing record is a <see cref="RecordNotFoundException"/> (HTTP 404), unlike the
/// port, which answers false: a DELETE of one named resource that is not there is an error the caller should see.
/// </summary>
public sealed record DeleteVector(string? Index, string? Id, string? Namespace = null) : IRequest<Unit>;

public sealed class DeleteVectorValidator : AbstractValidator<DeleteVector>
{
    public DeleteVectorValidator()
    {
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
        RuleFor(r => r.Id).Custom((id, context) => context.CheckVectorId(id, "id"));
        RuleFor(r => r.Namespace).Custom((ns, context) => context.CheckNamespace(ns));
    }
}

public sealed class DeleteVectorHandler(IVectorStorage storage) : IRequestHandler<DeleteVector, Unit>
{
    public async Task<Unit> Handle(DeleteVector request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = RequestParsing.Index(request.Index);
        var id = RequestParsing.Id(request.Id);
        var deleted = await storage.DeleteAsync(index, id, RequestParsing.Namespace(request.Namespace), cancellationToken).ConfigureAwait(false);
        return deleted ? Unit.Value : throw new RecordNotFoundException(index.Value, id.Value);
    }
}
