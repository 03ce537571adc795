using System.Text.Json;
using MediatR;
using Theodore.Application.Common;
using Theodore.Application.Operations;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>
/// Inserts or replaces one record by id. Parsed once; the storage checks the values against its index in the same
/// call that writes, so an upsert costs exactly one <see cref="IVectorStorage.UpsertAsync"/>.
/// </summary>
public sealed record UpsertVector(
    string? Index, string? Id, float[]? Values, JsonElement? Metadata = null, string? Namespace = null, string? ExpiresAt = null, long? TtlSeconds = null)
    : IRequest<UpsertVectorsResult>
{
    /// <summary>The request as Core values (<paramref name="now"/> turns a ttlSeconds into an instant), or an error listing every problem.</summary>
    internal (IndexName Index, VectorRecord Record, Namespace Namespace) Parse(DateTimeOffset now = default)
    {
        var parser = new RequestParser();
        var index = parser.Index(Index);
        var id = parser.Id(Id);
        var values = parser.Values(Values, "values");
        var metadata = parser.Metadata(Metadata);
        var ns = parser.Namespace(Namespace);
        var expiresAt = parser.Expiry(ExpiresAt, TtlSeconds, now);
        parser.ThrowIfInvalid();
        return (index, new VectorRecord(id, values, metadata) { ExpiresAt = expiresAt }, ns);
    }
}

public sealed class UpsertVectorHandler(IVectorStorage storage, TimeProvider? time = null) : IRequestHandler<UpsertVector, UpsertVectorsResult>
{
    public async Task<UpsertVectorsResult> Handle(UpsertVector request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (index, record, ns) = request.Parse((time ?? TimeProvider.System).GetUtcNow());
        if (record.ExpiresAt is not null)
        {
            OperationSupport.ThrowIfNoTtl(storage.Capabilities);
        }

        await storage.UpsertAsync(index, record, ns, cancellationToken).ConfigureAwait(false);
        return new UpsertVectorsResult(1);
    }
}
