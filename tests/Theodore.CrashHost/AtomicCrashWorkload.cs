using System.Globalization;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;

namespace Theodore.CrashHost;

/// <summary>
/// The atomic mixed batches the crash host writes in its <c>atomic</c> mode, derived from (seed, batch) alone. Batch b
/// upserts b's five records and, in the same all-or-nothing batch, changes batch b-1's: soft-deletes its record 0,
/// merges <c>next = b</c> into record 1's metadata, gives record 2 an expiry, and deletes record 3. Record 4 is never
/// touched again, so it says whether batch b was applied, and b-1's four records say whether all of b's changes to them
/// were: a half-applied batch shows as a disagreement between them.
/// </summary>
public static class AtomicCrashWorkload
{
    public const int RecordsPerBatch = 5;

    /// <summary>Far enough ahead that no record expires during the test: the expiry is state to check, not a clock to wait for.</summary>
    public static readonly DateTimeOffset Expiry = new(2100, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static IndexName Index { get; } = IndexName.Parse("crash-atomic");

    public static string Id(int batch, int item) => string.Create(CultureInfo.InvariantCulture, $"a{batch:D6}-{item:D2}");

    public static Metadata Metadata(int batch) => Core.Domain.Metadata.Create([new("batch", batch)]);

    public static Metadata Next(int batch) => Core.Domain.Metadata.Create([new("next", batch)]);

    public static IReadOnlyList<RecordOperation> Batch(int seed, int batch)
    {
        var operations = new List<RecordOperation>(RecordsPerBatch + 4);
        for (var item = 0; item < RecordsPerBatch; item++)
        {
            operations.Add(RecordOperation.Upsert(new VectorRecord(VectorId.Parse(Id(batch, item)), CrashWorkload.Vector(seed, batch, item), Metadata(batch))));
        }

        if (batch > 0)
        {
            var previous = batch - 1;
            operations.Add(RecordOperation.SoftDelete(VectorId.Parse(Id(previous, 0))));
            operations.Add(RecordOperation.UpdateMetadata(VectorId.Parse(Id(previous, 1)), Next(batch), MetadataUpdateMode.Merge));
            operations.Add(RecordOperation.SetExpiry(VectorId.Parse(Id(previous, 2)), Expiry));
            operations.Add(RecordOperation.Delete(VectorId.Parse(Id(previous, 3))));
        }

        return operations;
    }
}
