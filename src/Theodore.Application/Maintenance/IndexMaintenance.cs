using Microsoft.Extensions.Logging;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Ports;

namespace Theodore.Application.Maintenance;

/// <summary>
/// One pass of the background upkeep over every index: the expiry sweep (durable deletes of expired records) and a
/// compaction of each index the <see cref="CompactionPolicy"/> finds due. A backend without the port or the capability
/// is skipped, never asked. A failure on one index is logged and the pass goes on with the next.
/// </summary>
public sealed partial class IndexMaintenance(IVectorStorage storage, ILoggerFactory loggers)
{
    private readonly ILogger _logger = (loggers ?? throw new ArgumentNullException(nameof(loggers))).CreateLogger(Behaviors.ApplicationLog.Category);

    /// <summary>Sweeps every index; returns how many expired records each one lost (indexes that lost none left out).</summary>
    public async Task<IReadOnlyDictionary<string, long>> SweepExpiredAsync(CancellationToken cancellationToken)
    {
        var swept = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!storage.Capabilities.Ttl || storage.GetService<IIndexMaintenanceStorage>() is not { } maintenance)
        {
            return swept;
        }

        foreach (var info in await storage.ListIndexesAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var count = await maintenance.SweepExpiredAsync(info.Name, cancellationToken).ConfigureAwait(false);
                if (count > 0)
                {
                    swept[info.Name.Value] = count;
                    LogSwept(_logger, info.Name.Value, count);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(_logger, "sweep", info.Name.Value, exception);
            }
        }

        return swept;
    }

    /// <summary>Compacts every index the policy finds due (soft-deleted plus expired against all stored records); returns what each gave back.</summary>
    public async Task<IReadOnlyDictionary<string, CompactionResult>> CompactDueAsync(CompactionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var compacted = new Dictionary<string, CompactionResult>(StringComparer.Ordinal);
        if (!policy.Enabled || !storage.Capabilities.Compaction || storage.GetService<IIndexMaintenanceStorage>() is not { } maintenance)
        {
            return compacted;
        }

        foreach (var info in await storage.ListIndexesAsync(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var stats = await storage.GetStatsAsync(info.Name, cancellationToken).ConfigureAwait(false);
                var (dead, total) = DeadAndTotal(stats);
                if (!policy.IsDue(dead, total))
                {
                    continue;
                }

                var result = await maintenance.CompactAsync(info.Name, cancellationToken).ConfigureAwait(false);
                compacted[info.Name.Value] = result;
                LogCompacted(_logger, info.Name.Value, result.PurgedSoftDeleted, result.PurgedExpired, result.ReclaimedTombstones, result.Duration.TotalMilliseconds);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(_logger, "compaction", info.Name.Value, exception);
            }
        }

        return compacted;
    }

    /// <summary>The records compaction would purge and every record stored, live or not.</summary>
    internal static (long Dead, long Total) DeadAndTotal(IndexStats stats)
    {
        var dead = (stats.SoftDeletedVectors ?? 0) + (stats.ExpiredVectors ?? 0);
        return (dead, stats.TotalVectors + dead);
    }

    [LoggerMessage(EventId = 1020, EventName = "ExpiredSwept", Level = LogLevel.Information, Message = "Swept {Count} expired records from '{Index}'")]
    private static partial void LogSwept(ILogger logger, string index, long count);

    [LoggerMessage(EventId = 1021, EventName = "IndexCompacted", Level = LogLevel.Information,
        Message = "Compacted '{Index}' by policy: {SoftDeleted} soft-deleted and {Expired} expired records purged, {Tombstones} slots reclaimed in {ElapsedMs:0} ms")]
    private static partial void LogCompacted(ILogger logger, string index, long softDeleted, long expired, long tombstones, double elapsedMs);

    [LoggerMessage(EventId = 1022, EventName = "MaintenanceFailed", Level = LogLevel.Warning, Message = "The background {Task} of '{Index}' failed; the next pass tries again")]
    private static partial void LogFailed(ILogger logger, string task, string index, Exception exception);
}
