using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Ports;

namespace Theodore.Application.Indexes;

/// <summary>Deletes an index and its records; <see cref="Core.Errors.IndexNotFoundException"/> when it does not exist.</summary>
public sealed record DeleteIndex(string? Index) : IRequest<Unit>;

public sealed class DeleteIndexValidator : AbstractValidator<DeleteIndex>
{
    public DeleteIndexValidator() =>
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
}

public sealed class DeleteIndexHandler(IVectorStorage storage) : IRequestHandler<DeleteIndex, Unit>
{
    public async Task<Unit> Handle(DeleteIndex request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await storage.DeleteIndexAsync(RequestParsing.Index(request.Index), cancellationToken).ConfigureAwait(false);
        return Unit.Value;
    }
}
