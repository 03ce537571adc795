using MediatR;
using Theodore.Application.Common;
using Theodore.Application.Operations;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Vectors;

/// <summary>
/// Inserts or replaces up to 1000 records in one namespace; one bad record refuses the whole request and nothing is
/// written. Parsed once; the records are checked against the index by the storage, before it writes any, in the one
/// call that writes them.
/// </summary>
public sealed record UpsertVectors(string? Index, IReadOnlyList<VectorInput>? Vectors, string? Namespace = null) : IRequest<UpsertVectorsResult>
{
    public const int MaxVectors = 1000;

    /// <summary>The request as Core values (<paramref name="now"/> turns a ttlSeconds into an instant), or an error listing every problem.</summary>
    internal (IndexName Index, IReadOnlyList<VectorRecord> Records, Namespace Namespace) Parse(DateTimeOffset now = default)
    {
        var parser = new RequestParser();
        var index = parser.Index(Index);
        var ns = parser.Namespace(Namespace);
        var records = new List<VectorRecord>(Math.Min(Vectors?.Count ?? 0, MaxVectors));
        if (parser.Count(Vectors, MaxVectors, "vectors", "vector"))
        {
            var firstSeen = new Dictionary<string, int>(Vectors!.Count, StringComparer.Ordinal);
            for (var i = 0; i < Vectors.Count; i++)
            {
                var path = Core.Domain.Vectors.ItemPath(i);
                if (Vectors[i] is not { } vector)
                {
                    parser.Add(path, "a vector record is required");
                    continue;
                }

                var id = parser.Id(vector.Id, $"{path}.id");
                if (vector.Id is not null && !firstSeen.TryAdd(vector.Id, i))
                {
                    parser.Add($"{path}.id", $"duplicate id; vectors[{firstSeen[vector.Id]}] has it already");
                }

                var values = parser.Values(vector.Values, $"{path}.values");
                var metadata = parser.Metadata(vector.Metadata, $"{path}.metadata");
                var expiresAt = parser.Expiry(vector.ExpiresAt, vector.TtlSeconds, now, $"{path}.");
                if (!parser.HasErrors)
                {
                    records.Add(new VectorRecord(id, values, metadata) { ExpiresAt = expiresAt });
                }
            }
        }

        parser.ThrowIfInvalid();
        return (index, records, ns);
    }
}

public sealed record UpsertVectorsResult(int UpsertedCount);

public sealed class UpsertVectorsHandler(IVectorStorage storage, TimeProvider? time = null) : IRequestHandler<UpsertVectors, UpsertVectorsResult>
{
    public async Task<UpsertVectorsResult> Handle(UpsertVectors request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (index, records, ns) = request.Parse((time ?? TimeProvider.System).GetUtcNow());
        if (records.Any(static r => r.ExpiresAt is not null))
        {
            OperationSupport.ThrowIfNoTtl(storage.Capabilities);
        }

        if (storage.GetService<IBatchVectorStorage>() is { } batch)
        {
            var result = await batch.UpsertManyAsync(index, records, ns, BatchOptions.AllOrNothing, cancellationToken: cancellationToken).ConfigureAwait(false);
            BatchFailures.ThrowIfIncomplete(result, "vectors");
            return new UpsertVectorsResult(result.Succeeded);
        }

        // Without the batch port the records are written one by one, so each must be known to fit the index first:
        // a record refused after others were written would leave the request half applied.
        var info = await storage.DescribeIndexAsync(index, cancellationToken).ConfigureAwait(false);
        Core.Domain.Vectors.ThrowIfInvalidBatch(info.Definition, records, storage.Capabilities.SystemName, "UpsertMany");
        foreach (var record in records)
        {
            await storage.UpsertAsync(index, record, ns, cancellationToken).ConfigureAwait(false);
        }

        return new UpsertVectorsResult(records.Count);
    }
}
