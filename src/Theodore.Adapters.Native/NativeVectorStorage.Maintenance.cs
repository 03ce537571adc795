using System.Diagnostics;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native;

// Compaction and the expiry sweep. Purging is a logical change, so it is logged first as an ordinary delete of the
// ids (replay needs nothing new); reclaiming the tombstones afterwards is physical and never logged.
public sealed partial class NativeVectorStorage : IIndexMaintenanceStorage
{
    /// <summary>
    /// Per namespace: deletes the soft-deleted and the expired records durably (one log record), then copies the
    /// graph without its tombstones. Searches go on meanwhile; writes to a namespace wait while its graph is copied.
    /// </summary>
    public ValueTask<CompactionResult> CompactAsync(IndexName index, CancellationToken cancellationToken = default) =>
        RunAsync("Compact", index, async () =>
        {
            var started = Stopwatch.GetTimestamp();
            var stored = Find(index, "Compact");
            var before = stored.MemoryBytes;
            long softDeleted = 0, expired = 0, tombstones = 0;
            foreach (var (ns, shard) in stored.Shards.ToArray())
            {
                cancellationToken.ThrowIfCancellationRequested();
                var (soft, gone) = await PurgeAsync(stored, ns, softDeleted: true, "Compact", cancellationToken).ConfigureAwait(false);
                softDeleted += soft;
                expired += gone;
                tombstones += shard.Engine.TombstoneCount;
                shard.Engine.Compact();
            }

            return new CompactionResult(softDeleted, expired, tombstones, before, stored.MemoryBytes, Stopwatch.GetElapsedTime(started));
        }, cancellationToken);

    /// <summary>Deletes, durably, every record whose expiry has passed; returns how many.</summary>
    public ValueTask<long> SweepExpiredAsync(IndexName index, CancellationToken cancellationToken = default) =>
        RunAsync("SweepExpired", index, async () =>
        {
            var stored = Find(index, "SweepExpired");
            long swept = 0;
            foreach (var (ns, shard) in stored.Shards.ToArray())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (shard.Engine.ExpiringCount == 0)
                {
                    continue;
                }

                var (_, expired) = await PurgeAsync(stored, ns, softDeleted: false, "SweepExpired", cancellationToken).ConfigureAwait(false);
                swept += expired;
            }

            return swept;
        }, cancellationToken);

    // Resolved under the writer gate, so what is logged is exactly what is deleted; an expired soft-deleted record counts as expired.
    private static async Task<(long SoftDeleted, long Expired)> PurgeAsync(NativeIndex stored, Namespace ns, bool softDeleted, string operation, CancellationToken cancellationToken)
    {
        long soft = 0, expired = 0;
        await stored.WriteAsync(operation, log =>
        {
            var shard = stored.Find(ns);
            var keys = new List<string>();
            if (shard is not null)
            {
                var gone = shard.Engine.ListHiddenKeys(softDeleted: false, expired: true);
                var seen = new HashSet<string>(gone, StringComparer.Ordinal);
                keys.AddRange(gone);
                expired = gone.Count;
                if (softDeleted)
                {
                    foreach (var key in shard.Engine.ListHiddenKeys(softDeleted: true, expired: false))
                    {
                        if (seen.Add(key))
                        {
                            keys.Add(key);
                            soft++;
                        }
                    }
                }
            }

            return DeleteKeys(stored, shard, ns, keys, log);
        }, cancellationToken).ConfigureAwait(false);
        return (soft, expired);
    }
}
