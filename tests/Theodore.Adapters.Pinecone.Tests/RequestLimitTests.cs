using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Pinecone.Tests;

/// <summary>Batches reach Pinecone cut to its limits: 1,000 vectors and 2 MB per upsert, 1,000 ids per fetch and delete.</summary>
public sealed class RequestLimitTests
{
    private const int MaxUpsertBytes = 2_000_000;

    [Fact]
    public async Task UpsertManyAsync_5000_records_of_1536_dimensions_arrive_as_requests_within_1000_vectors_and_2_MB()
    {
        await using var scope = await FakeScope.StartAsync(tweak: o => o.MaxParallelism = 3);
        var index = await scope.CreateIndexAsync(1536, DistanceMetric.Cosine);
        var random = new Random(1536);
        var records = Enumerable.Range(0, 5000).Select(i =>
        {
            var values = new float[1536];
            for (var d = 0; d < values.Length; d++)
            {
                values[d] = (float)((random.NextDouble() * 2) - 1);
            }

            return new VectorRecord(VectorId.Parse($"doc-{i:D5}"), values, Metadata.Create([new("n", i)]));
        }).ToArray();
        var reports = new List<BatchProgress>();

        scope.Fake.ClearRequests();
        var mark = scope.Fake.Requests.Count;
        var result = await scope.Storage.UpsertManyAsync(index, records, progress: new SyncProgress(reports));
        var upserts = scope.RequestsSince(mark).Where(r => r.Path == "/vectors/upsert").ToArray();

        Assert.True(result.IsComplete);
        Assert.Equal(5000, result.Succeeded);
        Assert.All(upserts, r => Assert.InRange(r.VectorCount, 1, 1000));
        Assert.All(upserts, r => Assert.InRange(r.BodyBytes, 1, MaxUpsertBytes));
        Assert.All(upserts, r => Assert.Equal(200, r.Status));
        Assert.Equal(5000, upserts.Sum(r => r.VectorCount));
        Assert.True(upserts.Length > 5, $"1536-d vectors are ~17 KB each as JSON, so 2 MB holds ~110: expected many requests, got {upserts.Length}");
        Assert.Equal(upserts.Length, reports.Count);
        Assert.InRange(scope.Fake.MaxConcurrentRequests, 1, 3);
        Assert.Equal(5000, reports.Max(r => r.Completed));
        Assert.Equal(5000, scope.Fake.FindIndex(index.Value)!.Counts[string.Empty]);
        Assert.Empty(scope.Fake.SpecViolations);
    }

    [Fact]
    public async Task UpsertManyAsync_small_vectors_are_cut_at_1000_per_request()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        var records = Enumerable.Range(1, 2500).Select(i => new VectorRecord(VectorId.Parse($"r{i}"), new float[] { i, 1 })).ToArray();

        var mark = scope.Fake.Requests.Count;
        await scope.Storage.UpsertManyAsync(index, records);

        Assert.Equal([1000, 1000, 500], scope.RequestsSince(mark).Where(r => r.Path == "/vectors/upsert").Select(r => r.VectorCount).Order().Reverse());
    }

    [Fact]
    public async Task GetManyAsync_and_DeleteManyAsync_send_at_most_1000_ids_per_request()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        var ids = Enumerable.Range(1, 2100).Select(i => VectorId.Parse($"r{i}")).ToArray();
        await scope.Storage.UpsertManyAsync(index, [.. ids.Select((id, i) => new VectorRecord(id, new float[] { i + 1, 1 }))]);

        var mark = scope.Fake.Requests.Count;
        var found = await scope.Storage.GetManyAsync(index, ids);
        var fetches = scope.RequestsSince(mark);
        mark = scope.Fake.Requests.Count;
        var deleted = await scope.Storage.DeleteManyAsync(index, ids);
        var deletes = scope.RequestsSince(mark).Where(r => r.Path == "/vectors/delete").ToArray();

        Assert.Equal(2100, found.Count);
        Assert.Equal(ids.Select(i => i.Value), found.Select(r => r.Id.Value), StringComparer.Ordinal);
        Assert.All(fetches, r => Assert.InRange(r.VectorCount, 1, 1000));
        Assert.Equal(2100, fetches.Sum(r => r.VectorCount));
        Assert.Equal(2100, deleted.Succeeded);
        Assert.All(deletes, r => Assert.InRange(r.VectorCount, 1, 1000));
        Assert.Equal(3, deletes.Length);
        Assert.Empty(scope.Fake.FindIndex(index.Value)!.Counts);
    }

    [Fact]
    public async Task GetManyAsync_long_ids_are_fetched_with_a_bounded_query_string()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        var ids = Enumerable.Range(0, 30).Select(i => VectorId.Parse($"{i:D3}" + new string('é', 509))).ToArray();
        await scope.Storage.UpsertManyAsync(index, [.. ids.Select(id => new VectorRecord(id, new float[] { 1, 1 }))]);

        var mark = scope.Fake.Requests.Count;
        var found = await scope.Storage.GetManyAsync(index, ids);
        var fetches = scope.RequestsSince(mark);

        Assert.Equal(30, found.Count);
        Assert.True(fetches.Count > 1);
        Assert.All(fetches, r => Assert.True(r.Query.Length <= 7000, $"query string of {r.Query.Length} characters"));
    }

    [Fact]
    public void Upsert_chunks_measure_the_serialized_body_exactly()
    {
        var items = Enumerable.Range(0, 7).Select(i =>
        {
            var vector = new Wire.PineconeVector($"id-{i}", [i, 0.5f], null);
            return new UpsertItem(i, vector, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(vector, Wire.PineconeJsonContext.Default.PineconeVector).Length);
        }).ToArray();
        var request = new Wire.UpsertRequest(items.Select(i => i.Vector).ToArray(), "ns");

        var size = PineconeUpsertChunks.SizeOf(items, "ns");
        var chunks = PineconeUpsertChunks.Cut(items, "ns", maxRecords: 1000, maxBytes: size - 1);

        Assert.Equal(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request, Wire.PineconeJsonContext.Default.UpsertRequest).Length, size);
        Assert.Equal(2, chunks.Count);
        Assert.All(chunks, c => Assert.True(PineconeUpsertChunks.SizeOf(c, "ns") <= size - 1));
    }

    private sealed class SyncProgress(List<BatchProgress> reports) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
