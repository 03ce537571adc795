using System.Runtime.InteropServices;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Native.Tests.Durability;

/// <summary>Helpers shared by the durability tests: seeded vectors, full reads of an index, byte-level comparison.</summary>
internal static class DurableTestData
{
    public static float[] Vector(int seed, int dimension)
    {
        var random = new Random(seed);
        var values = new float[dimension];
        for (var i = 0; i < dimension; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }

    public static VectorRecord Record(string id, int seed, int dimension, Metadata? metadata = null) =>
        new(VectorId.Parse(id), Vector(seed, dimension), metadata ?? Metadata.Empty);

    /// <summary>Every record of one namespace, values and metadata included, keyed by id.</summary>
    public static async Task<Dictionary<string, VectorRecord>> ReadAllAsync(NativeVectorStorage storage, IndexName index, Namespace ns = default)
    {
        var all = new Dictionary<string, VectorRecord>(StringComparer.Ordinal);
        string? cursor = null;
        do
        {
            var page = await storage.ListAsync(index, new ListRequest { Namespace = ns, Limit = 1000, Cursor = cursor, IncludeValues = true, IncludeMetadata = true });
            foreach (var record in page.Records)
            {
                Assert.True(all.TryAdd(record.Id.Value, record), $"id {record.Id.Value} listed twice");
            }

            cursor = page.NextCursor;
        }
        while (cursor is not null);
        return all;
    }

    public static bool SameBytes(ReadOnlyMemory<float> expected, ReadOnlyMemory<float> actual) =>
        MemoryMarshal.AsBytes(expected.Span).SequenceEqual(MemoryMarshal.AsBytes(actual.Span));

    public static void AssertSameRecords(IReadOnlyDictionary<string, VectorRecord> expected, IReadOnlyDictionary<string, VectorRecord> actual)
    {
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (id, record) in expected)
        {
            Assert.True(SameBytes(record.Values, actual[id].Values), $"the vector of {id} changed");
            Assert.Equal(record.Metadata, actual[id].Metadata);
        }
    }
}
