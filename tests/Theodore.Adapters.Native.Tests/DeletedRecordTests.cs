using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests;

public sealed class DeletedRecordTests
{
    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    public async Task SearchAsync_after_deleting_many_records_never_returns_a_deleted_id(DistanceMetric metric)
    {
        const int count = 800;
        const int dimension = 8;
        var random = new Random(11);
        var storage = new NativeVectorStorage();
        var index = IndexName.Parse("deleted");
        await storage.CreateIndexAsync(new IndexDefinition(index, dimension, metric));
        var records = Enumerable.Range(0, count)
            .Select(i => new VectorRecord(
                VectorId.Parse($"d{i}"),
                TestVectors.Random(random, dimension),
                Metadata.Create([new("group", MetadataValue.FromString(i % 2 == 0 ? "even" : "odd"))])))
            .ToArray();
        await storage.GetRequiredService<IBatchVectorStorage>().UpsertManyAsync(index, records);

        // Enough deletions to pass the engine's compaction threshold, and some after it ran.
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in records.Where(_ => random.NextDouble() < 0.45))
        {
            Assert.True(await storage.DeleteAsync(index, record.Id));
            deleted.Add(record.Id.Value);
        }

        foreach (var query in Enumerable.Range(0, 40).Select(_ => TestVectors.Random(random, dimension)))
        {
            foreach (var options in new[]
            {
                new SearchOptions { TopK = 50 },
                new SearchOptions { TopK = 50, Exact = true },
                new SearchOptions { TopK = 20, Filter = Filter.Eq("group", "even") },
            })
            {
                var result = await storage.SearchAsync(index, query, options);
                Assert.NotEmpty(result.Matches);
                Assert.DoesNotContain(result.Matches, m => deleted.Contains(m.Id.Value));
            }
        }

        var listed = new List<string>();
        await foreach (var record in storage.GetRequiredService<IStreamingVectorStorage>().ScanAsync(index, new ListRequest { Limit = 97 }))
        {
            listed.Add(record.Id.Value);
        }

        Assert.Equal(records.Select(r => r.Id.Value).Where(id => !deleted.Contains(id)).Order(StringComparer.Ordinal), listed, StringComparer.Ordinal);
        Assert.Equal(count - deleted.Count, (await storage.GetStatsAsync(index)).TotalVectors);
        Assert.Null(await storage.GetAsync(index, VectorId.Parse(deleted.First())));
    }
}
