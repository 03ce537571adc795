using System.Text.Json.Serialization;
using Theodore.Application.Operations;
using Theodore.Core.Domain.Operations;

namespace Theodore.Api.Contracts;

/// <summary>Answer of a soft delete or restore of one record: whether it changed anything.</summary>
public sealed record RecordOperationResponse(string Id, string Op, bool Applied)
{
    public static RecordOperationResponse From(RecordOperationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(result.Id.Value, ApplyOperations.OpName(result.Kind), result.Applied);
    }
}

/// <summary>Body of <c>PUT /v1/indexes/{index}/vectors/{id}/ttl</c>: <c>expiresAt</c> or <c>ttlSeconds</c>; neither clears the expiry.</summary>
public sealed record SetExpiryRequest(string? ExpiresAt = null, long? TtlSeconds = null, string? Namespace = null);

/// <summary>The record's expiry as set (null: it never expires).</summary>
public sealed record VectorExpiryResponse(string Id, [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? ExpiresAt, bool Applied);

/// <summary>What a compaction removed, the memory before and after, and how long it took.</summary>
public sealed record CompactionResponse(long PurgedSoftDeleted, long PurgedExpired, long ReclaimedTombstones, long Removed, long MemoryBytesBefore, long MemoryBytesAfter, double DurationMs)
{
    public static CompactionResponse From(CompactionResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new(
            result.PurgedSoftDeleted,
            result.PurgedExpired,
            result.ReclaimedTombstones,
            result.PurgedSoftDeleted + result.PurgedExpired,
            result.MemoryBytesBefore,
            result.MemoryBytesAfter,
            Math.Round(result.Duration.TotalMilliseconds, 3));
    }
}

/// <summary>Body of <c>POST /v1/indexes/{index}/rebuild</c>: new HNSW options, or none to rebuild with the index's own.</summary>
public sealed record RebuildRequest(HnswDto? Hnsw = null);

/// <summary>
/// An online rebuild: <c>phase</c> (none, building, catchingUp, completed, failed), the HNSW options it builds with,
/// records done of the total and their ratio, when it started and finished, and the error of a failed one.
/// </summary>
public sealed record RebuildStatusResponse(
    string Phase,
    HnswDto Hnsw,
    long RecordsDone,
    long RecordsTotal,
    double Progress,
    bool Running,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt,
    string? Error)
{
    public static RebuildStatusResponse From(RebuildStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        var progress = status.Phase == RebuildPhase.Completed ? 1.0
            : status.RecordsTotal > 0 ? Math.Round(Math.Min(1.0, (double)status.RecordsDone / status.RecordsTotal), 4)
            : 0.0;
        return new(
            PhaseName(status.Phase),
            new HnswDto(status.Hnsw.M, status.Hnsw.EfConstruction),
            status.RecordsDone,
            status.RecordsTotal,
            progress,
            status.IsRunning,
            status.StartedAt,
            status.FinishedAt,
            status.Error);
    }

    public static string PhaseName(RebuildPhase phase) => phase switch
    {
        RebuildPhase.None => "none",
        RebuildPhase.Building => "building",
        RebuildPhase.CatchingUp => "catchingUp",
        RebuildPhase.Completed => "completed",
        RebuildPhase.Failed => "failed",
        _ => phase.ToString(),
    };
}
