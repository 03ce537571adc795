using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Query;

/// <summary>
/// The records most similar to a stored one ("more like this"). The record itself is never a match (the port
/// guarantees it); a missing id is a <see cref="Core.Errors.RecordNotFoundException"/>.
/// </summary>
public sealed record QueryById(string? Index, string? Id, QueryOptions Options) : IRequest<SearchResult>;

public sealed class QueryByIdValidator : AbstractValidator<QueryById>
{
    public QueryByIdValidator()
    {
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
        RuleFor(r => r.Id).Custom((id, context) => context.CheckVectorId(id, "id"));
        RuleFor(r => r.Options).Custom((options, context) => QueryOptionsRules.Check(context, options));
    }
}

public sealed class QueryByIdHandler(IVectorStorage storage) : IRequestHandler<QueryById, SearchResult>
{
    public async Task<SearchResult> Handle(QueryById request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = RequestParsing.Index(request.Index);
        var id = RequestParsing.Id(request.Id);
        var options = QueryOptionsRules.ToSearchOptions(request.Options);
        return await storage.SearchByIdAsync(index, id, options, cancellationToken).ConfigureAwait(false);
    }
}
