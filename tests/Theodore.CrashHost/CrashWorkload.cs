using System.Globalization;
using Theodore.Core.Domain;

namespace Theodore.CrashHost;

/// <summary>
/// The batches the crash host writes, derived from (seed, batch) alone so the test can regenerate every id and
/// vector it expects without talking to the host.
/// </summary>
public static class CrashWorkload
{
    public const int Dimension = 16;
    public const int BatchSize = 10;

    public static IndexName Index { get; } = IndexName.Parse("crash");

    public static string Id(int batch, int item) => string.Create(CultureInfo.InvariantCulture, $"b{batch:D6}-{item:D2}");

    /// <summary>The batch a well-formed id belongs to, or -1 for an id this workload never writes.</summary>
    public static int BatchOf(string id)
    {
        if (id.Length != 10 || id[0] != 'b' || id[7] != '-'
            || !int.TryParse(id.AsSpan(1, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var batch)
            || !int.TryParse(id.AsSpan(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var item)
            || item >= BatchSize)
        {
            return -1;
        }

        return batch;
    }

    public static float[] Vector(int seed, int batch, int item)
    {
        // Not HashCode.Combine: it is salted per process, and the test must regenerate what another process wrote.
        var random = new Random(unchecked((seed * 1_000_033) + (batch * 16) + item));
        var values = new float[Dimension];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    public static Metadata Metadata(int batch) => Core.Domain.Metadata.Create([new("batch", batch)]);

    public static IReadOnlyList<VectorRecord> Batch(int seed, int batch) =>
        [.. Enumerable.Range(0, BatchSize).Select(item => new VectorRecord(VectorId.Parse(Id(batch, item)), Vector(seed, batch, item), Metadata(batch)))];
}
