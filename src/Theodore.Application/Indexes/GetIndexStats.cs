using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Indexes;

/// <summary>Vector counts (in total and per namespace), memory and metadata fields of one index.</summary>
public sealed record GetIndexStats(string? Index) : IRequest<IndexStats>;

public sealed class GetIndexStatsValidator : AbstractValidator<GetIndexStats>
{
    public GetIndexStatsValidator() =>
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
}

public sealed class GetIndexStatsHandler(IVectorStorage storage) : IRequestHandler<GetIndexStats, IndexStats>
{
    public async Task<IndexStats> Handle(GetIndexStats request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await storage.GetStatsAsync(RequestParsing.Index(request.Index), cancellationToken).ConfigureAwait(false);
    }
}
