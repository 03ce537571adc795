using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Adapters.Native;

/// <summary>
/// The storage-wide memory budget (<see cref="NativeOptions.MemoryBudgetBytes"/>). A write reserves its estimated
/// growth before it is logged: the reservation is refused with <see cref="CapacityExceededException"/> when what the
/// indexes hold now, plus what writes in flight have reserved, plus this write would pass the budget, so nothing of a
/// refused write is logged or applied. The reservation is given back once the write is in memory (its bytes are then
/// in the usage) or failed. Concurrent writes are decided one at a time, so together they never pass it either.
/// </summary>
internal sealed class NativeMemoryBudget(long? budgetBytes, Func<long> usage)
{
    // One value's entry in the metadata postings at most (see the engine's MetadataIndex), besides its text.
    private const long MetadataValueBytes = 16 + 128;

    private readonly Lock _gate = new();
    private long _reserved;

    /// <summary>Null when the budget is turned off.</summary>
    public long? BudgetBytes { get; } = budgetBytes;

    public MemoryBudgetStatus Status() => new(usage(), BudgetBytes);

    /// <summary>
    /// Reserves <paramref name="bytes"/> or refuses the write, naming the usage, the write's estimate and the budget.
    /// Dispose the result once the write is applied or failed.
    /// </summary>
    public Reservation Reserve(long bytes, string index, string operation, int records)
    {
        if (BudgetBytes is not { } budget || bytes <= 0)
        {
            return new Reservation(this, 0);
        }

        lock (_gate)
        {
            var used = usage();
            if (used + _reserved + bytes > budget)
            {
                var inFlight = _reserved > 0 ? $" (plus {_reserved:N0} reserved by writes in flight)" : string.Empty;
                throw new CapacityExceededException(
                    $"The memory budget would be exceeded: the storage holds about {used:N0} bytes{inFlight} of its {budget:N0}-byte budget " +
                    $"(VectorStorage:Native:MemoryBudgetBytes) and this write of {records:N0} record(s) needs about {bytes:N0} more. " +
                    "Nothing was written; reads and deletes still work. Delete records or indexes, or raise the budget.")
                {
                    SystemName = NativeConstants.SystemName,
                    Index = index,
                    Operation = operation,
                };
            }

            _reserved += bytes;
        }

        return new Reservation(this, bytes);
    }

    /// <summary>
    /// Upper bound on what upserting <paramref name="records"/> into namespace <paramref name="ns"/> of
    /// <paramref name="stored"/> adds to its memory: the engine's growth (whole chunks where the allocated ones run
    /// out, upper layers, keys) and the metadata postings. Every record counts as new: a replaced one takes a new slot
    /// until compaction, and its old metadata is only then given back.
    /// </summary>
    public static long Estimate(NativeIndex stored, Namespace ns, IReadOnlyList<VectorRecord?> records)
    {
        long keyChars = 0;
        long metadata = 0;
        var count = 0;
        foreach (var record in records)
        {
            if (record?.Id is null)
            {
                continue;
            }

            count++;
            keyChars += record.Id.Value.Length;
            metadata += 8;
            foreach (var (field, value) in record.Metadata ?? Metadata.Empty)
            {
                metadata += 2L * field.Length;
                metadata += value.Kind switch
                {
                    MetadataValueKind.String => MetadataValueBytes + (2L * value.AsString.Length),
                    MetadataValueKind.StringList => value.AsStringList.Sum(static item => MetadataValueBytes + (2L * item.Length)),
                    _ => MetadataValueBytes,
                };
            }
        }

        return stored.EstimateInsertBytes(ns, count, keyChars) + metadata;
    }

    private void Release(long bytes)
    {
        lock (_gate)
        {
            _reserved -= bytes;
        }
    }

    internal sealed class Reservation(NativeMemoryBudget owner, long bytes) : IDisposable
    {
        private long _bytes = bytes;

        public void Dispose()
        {
            var held = Interlocked.Exchange(ref _bytes, 0);
            if (held > 0)
            {
                owner.Release(held);
            }
        }
    }
}
