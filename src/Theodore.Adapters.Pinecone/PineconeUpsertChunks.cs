using System.Text.Json;
using Theodore.Adapters.Pinecone.Wire;

namespace Theodore.Adapters.Pinecone;

/// <summary>
/// Cuts upserts into requests within Pinecone's limits. A request body is
/// <c>{"vectors":[v1,v2,...],"namespace":"ns"}</c>: its size is the envelope's (measured by serializing it empty) plus
/// each vector's serialized size plus a comma between vectors, so the bound is exact, not an estimate.
/// </summary>
internal static class PineconeUpsertChunks
{
    public static List<List<UpsertItem>> Cut(IReadOnlyList<UpsertItem> items, string? ns, int maxRecords, long maxBytes)
    {
        var envelope = JsonSerializer.SerializeToUtf8Bytes(new UpsertRequest([], ns), PineconeJsonContext.Default.UpsertRequest).Length;
        var chunks = new List<List<UpsertItem>>();
        var current = new List<UpsertItem>();
        long bytes = envelope;
        foreach (var item in items)
        {
            var added = item.Bytes + (current.Count > 0 ? 1 : 0);
            if (current.Count > 0 && (current.Count >= maxRecords || bytes + added > maxBytes))
            {
                chunks.Add(current);
                current = [];
                bytes = envelope;
                added = item.Bytes;
            }

            current.Add(item);
            bytes += added;
        }

        if (current.Count > 0)
        {
            chunks.Add(current);
        }

        return chunks;
    }

    /// <summary>The exact serialized size of a request holding <paramref name="items"/>; for tests and logs.</summary>
    public static long SizeOf(IReadOnlyList<UpsertItem> items, string? ns) =>
        JsonSerializer.SerializeToUtf8Bytes(new UpsertRequest([], ns), PineconeJsonContext.Default.UpsertRequest).Length
        + items.Sum(i => (long)i.Bytes)
        + Math.Max(0, items.Count - 1);
}
