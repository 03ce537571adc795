using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Query;

/// <summary>
/// The records most similar to a vector, best first (score descending, then id). The vector is checked against the
/// index (dimension, finite, non-zero for cosine) before any search runs.
/// </summary>
public sealed record QueryByVector(string? Index, float[]? Vector, QueryOptions Options) : IRequest<SearchResult>;

public sealed class QueryByVectorValidator : AbstractValidator<QueryByVector>
{
    public QueryByVectorValidator()
    {
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
        RuleFor(r => r.Vector).Custom((vector, context) => context.CheckValues(vector, "vector"));
        RuleFor(r => r.Options).Custom((options, context) => QueryOptionsRules.Check(context, options));
    }
}

public sealed class QueryByVectorHandler(IVectorStorage storage) : IRequestHandler<QueryByVector, SearchResult>
{
    public async Task<SearchResult> Handle(QueryByVector request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = RequestParsing.Index(request.Index);
        var options = QueryOptionsRules.ToSearchOptions(request.Options);
        ReadOnlyMemory<float> vector = request.Vector ?? [];

        var info = await storage.DescribeIndexAsync(index, cancellationToken).ConfigureAwait(false);
        Vectors.IndexChecks.ThrowIfInvalid(info, [(vector, "vector")], isWrite: false);
        return await storage.SearchAsync(index, vector, options, cancellationToken).ConfigureAwait(false);
    }
}
