using FluentValidation;
using MediatR;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>One page of records in id order from an opaque cursor; needs a backend with <see cref="IStreamingVectorStorage"/>.</summary>
public sealed record ListVectors(
    string? Index,
    string? Namespace = null,
    int? Limit = null,
    string? Cursor = null,
    bool IncludeValues = false,
    bool IncludeMetadata = true) : IRequest<RecordPage>;

public sealed class ListVectorsValidator : AbstractValidator<ListVectors>
{
    public ListVectorsValidator()
    {
        RuleFor(r => r.Index).Custom((index, context) => context.CheckIndexName(index, "index"));
        RuleFor(r => r.Namespace).Custom((ns, context) => context.CheckNamespace(ns));
        RuleFor(r => r.Limit).Custom((limit, context) =>
        {
            if (limit is { } l)
            {
                context.CheckWith(() => _ = new ListRequest { Limit = l });
            }
        });
    }
}

public sealed class ListVectorsHandler(IVectorStorage storage) : IRequestHandler<ListVectors, RecordPage>
{
    public async Task<RecordPage> Handle(ListVectors request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var index = RequestParsing.Index(request.Index);
        var listRequest = new ListRequest
        {
            Namespace = RequestParsing.Namespace(request.Namespace),
            Cursor = string.IsNullOrEmpty(request.Cursor) ? null : request.Cursor,
            IncludeValues = request.IncludeValues,
            IncludeMetadata = request.IncludeMetadata,
        };
        if (request.Limit is { } limit)
        {
            listRequest = listRequest with { Limit = limit };
        }

        var streaming = storage.GetRequiredService<IStreamingVectorStorage>();
        return await streaming.ListAsync(index, listRequest, cancellationToken).ConfigureAwait(false);
    }
}
