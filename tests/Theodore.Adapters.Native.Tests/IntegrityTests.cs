using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests;

public sealed class IntegrityTests
{
    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.DotProduct)]
    public async Task CheckIntegrity_index_with_namespaces_and_deletes_is_healthy(DistanceMetric metric)
    {
        await using var storage = new NativeVectorStorage();
        var index = IndexName.Parse("integrity");
        await storage.CreateIndexAsync(new IndexDefinition(index, 8, metric));
        var random = new Random(5);
        foreach (var ns in new[] { Namespace.Default, Namespace.Parse("tenant-a") })
        {
            var records = Enumerable.Range(0, 600)
                .Select(i => new VectorRecord(VectorId.Parse($"r{i}"), Enumerable.Range(0, 8).Select(_ => (float)(random.NextDouble() * 4) - 1).ToArray()))
                .ToList();
            await storage.UpsertManyAsync(index, records, ns);
            await storage.DeleteManyAsync(index, [.. records.Take(100).Select(r => r.Id)], ns);
        }

        var checker = storage.GetService<IIntegrityCheckedStorage>();
        var report = await checker!.CheckIntegrityAsync(index);

        Assert.True(report.IsHealthy, string.Join("; ", report.Problems.Select(p => p.Message)));
        Assert.Equal(1000, report.RecordsChecked);
        Assert.Equal(0, report.UnreachableRecords);
    }

    [Fact]
    public async Task CheckIntegrity_missing_index_is_index_not_found()
    {
        await using var storage = new NativeVectorStorage();

        await Assert.ThrowsAsync<IndexNotFoundException>(() => storage.CheckIntegrityAsync(IndexName.Parse("missing")).AsTask());
    }
}
