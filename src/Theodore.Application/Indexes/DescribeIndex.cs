using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Indexes;

/// <summary>Describes one index; <see cref="Core.Errors.IndexNotFoundException"/> when it does not exist.</summary>
public sealed record DescribeIndex(string? Index) : IRequest<IndexInfo>;

public sealed class DescribeIndexValidator : AbstractValidator<DescribeIndex>
{
    public DescribeIndexValidator() =>
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
}

public sealed class DescribeIndexHandler(IVectorStorage storage) : IRequestHandler<DescribeIndex, IndexInfo>
{
    public async Task<IndexInfo> Handle(DescribeIndex request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await storage.DescribeIndexAsync(RequestParsing.Index(request.Index), cancellationToken).ConfigureAwait(false);
    }
}
