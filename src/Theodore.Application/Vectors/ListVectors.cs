using MediatR;
using Theodore.Application.Common;
using Theodore.Application.Operations;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>
/// One page of records in id order from an opaque cursor; needs a backend with <see cref="IStreamingVectorStorage"/>.
/// With <see cref="IncludeDeleted"/> soft-deleted records are listed too (501 on a backend without soft delete).
/// </summary>
public sealed record ListVectors(
    string? Index,
    string? Namespace = null,
    int? Limit = null,
    string? Cursor = null,
    bool IncludeValues = false,
    bool IncludeMetadata = true,
    bool IncludeDeleted = false) : IRequest<RecordPage>
{
    /// <summary>The request as Core values, parsed once, or an error listing every problem.</summary>
    internal (IndexName Index, ListRequest Request) Parse()
    {
        var parser = new RequestParser();
        var index = parser.Index(Index);
        var request = new ListRequest
        {
            Namespace = parser.Namespace(Namespace),
            Cursor = string.IsNullOrEmpty(Cursor) ? null : Cursor,
            IncludeValues = IncludeValues,
            IncludeMetadata = IncludeMetadata,
            IncludeDeleted = IncludeDeleted,
        };
        if (Limit is { } limit)
        {
            request = parser.With(() => request with { Limit = limit }) ?? request;
        }

        parser.ThrowIfInvalid();
        return (index, request);
    }
}

public sealed class ListVectorsHandler(IVectorStorage storage) : IRequestHandler<ListVectors, RecordPage>
{
    public async Task<RecordPage> Handle(ListVectors request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (index, listRequest) = request.Parse();
        if (listRequest.IncludeDeleted)
        {
            OperationSupport.ThrowIfNoSoftDelete(storage.Capabilities);
        }
        var streaming = storage.GetRequiredService<IStreamingVectorStorage>();
        return await streaming.ListAsync(index, listRequest, cancellationToken).ConfigureAwait(false);
    }
}
