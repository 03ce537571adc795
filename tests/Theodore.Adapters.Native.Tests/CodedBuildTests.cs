using Theodore.Adapters.Mock;
using Theodore.Core.Domain;
using Theodore.Core.Ports;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native.Tests;

/// <summary>
/// The adapter's usual path at a dimension where builds walk on 8-bit codes (64 and up): batches acknowledged before
/// the background linker links them, a snapshot, more batches in the log tail, a restart whose graph is extended on
/// codes built again from the loaded vectors. Recall against the exact mock and the integrity check must hold.
/// </summary>
public sealed class CodedBuildTests
{
    private const int Dimension = 64;
    private const int Count = 3000;
    private const int K = 10;
    private static readonly IndexName Index = IndexName.Parse("coded");

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    public async Task Background_linking_on_codes_across_a_restart_keeps_recall_and_integrity(DistanceMetric metric)
    {
        var random = new Random(11 + (int)metric);
        var points = TestVectors.Clustered(random, Count + 50, Dimension, clusters: 30, spread: 0.35);
        var records = points.Take(Count).Select((p, i) => new VectorRecord(VectorId.Parse($"c{i:D5}"), p)).ToArray();
        var mock = new MockVectorStorage();
        await mock.CreateIndexAsync(new IndexDefinition(Index, Dimension, metric));
        await mock.UpsertManyAsync(Index, records);
        var directory = new TempDataDirectory();
        try
        {
            await using (var storage = await directory.OpenAsync())
            {
                await storage.CreateIndexAsync(new IndexDefinition(Index, Dimension, metric));
                await WriteAsync(storage, records.AsMemory(0, 2000));
                Assert.Equal(1, await storage.CheckpointAsync());
                await WriteAsync(storage, records.AsMemory(2000));
            }

            await using var reopened = await directory.OpenAsync();
            // Overwrites after the restart: linked on codes built again from the loaded vectors.
            await WriteAsync(reopened, records.AsMemory(2900));
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while ((await reopened.GetStatsAsync(Index)).UnindexedVectors > 0 && DateTime.UtcNow < deadline)
            {
                await Task.Delay(20);
            }

            Assert.Equal(0, (await reopened.GetStatsAsync(Index)).UnindexedVectors);
            var report = await reopened.CheckIntegrityAsync(Index);
            Assert.True(report.IsHealthy, string.Join("; ", report.Problems.Select(p => p.Message)));
            Assert.Equal(Count, report.RecordsChecked);
            Assert.Equal(0, report.UnreachableRecords);

            var found = 0;
            foreach (var query in points.Skip(Count))
            {
                var approximate = await reopened.SearchAsync(Index, query, new SearchOptions { TopK = K, IncludeMetadata = false });
                var exact = await mock.SearchAsync(Index, query, new SearchOptions { TopK = K, IncludeMetadata = false });
                found += approximate.Matches.Select(m => m.Id).Intersect(exact.Matches.Select(m => m.Id)).Count();
            }

            var recall = (double)found / (50 * K);
            Assert.True(recall >= 0.95, $"recall@{K} for {metric} was {recall:P1}");
        }
        finally
        {
            directory.Delete();
        }
    }

    private static async Task WriteAsync(NativeVectorStorage storage, ReadOnlyMemory<VectorRecord> records)
    {
        for (var start = 0; start < records.Length; start += 100)
        {
            var batch = records.Slice(start, Math.Min(100, records.Length - start)).ToArray();
            var result = await storage.UpsertManyAsync(Index, batch);
            Assert.True(result.IsComplete);
        }
    }
}
