using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Application.Operations;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Ports;

namespace Theodore.Application.Maintenance;

/// <summary>
/// Purges an index's soft-deleted and expired records and reclaims its dead graph slots, now, whatever the compaction
/// policy says; reports what it removed and how long it took. 501 where the backend cannot compact.
/// </summary>
public sealed record CompactIndex(string? Index) : IRequest<CompactionResult>;

public sealed class CompactIndexValidator : AbstractValidator<CompactIndex>
{
    public CompactIndexValidator() =>
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
}

public sealed class CompactIndexHandler(IVectorStorage storage) : IRequestHandler<CompactIndex, CompactionResult>
{
    public async Task<CompactionResult> Handle(CompactIndex request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var maintenance = storage.GetRequiredService<IIndexMaintenanceStorage>();
        if (!storage.Capabilities.Compaction)
        {
            throw OperationSupport.Unsupported(storage.Capabilities, "compaction");
        }

        return await maintenance.CompactAsync(RequestParsing.Index(request.Index), cancellationToken).ConfigureAwait(false);
    }
}
