using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Indexes;

/// <summary>Describes one index; <see cref="Core.Errors.IndexNotFoundException"/> when it does not exist.</summary>
public sealed record DescribeIndex(string? Index) : IRequest<IndexInfo>
{
    /// <summary>The request as a Core value, parsed once; its one error otherwise.</summary>
    internal IndexName Parse() => RequestParsing.Index(Index);
}

public sealed class DescribeIndexHandler(IVectorStorage storage) : IRequestHandler<DescribeIndex, IndexInfo>
{
    public async Task<IndexInfo> Handle(DescribeIndex request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return await storage.DescribeIndexAsync(request.Parse(), cancellationToken).ConfigureAwait(false);
    }
}
