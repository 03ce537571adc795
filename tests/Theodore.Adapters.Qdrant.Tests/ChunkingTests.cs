using System.Collections.Concurrent;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Qdrant.Fake;

namespace Theodore.Adapters.Qdrant.Tests;

/// <summary>Big batches reach Qdrant as Upsert calls within the count and byte bounds, with bounded parallelism.</summary>
public sealed class ChunkingTests : IAsyncLifetime
{
    private QdrantFake _fake = null!;

    public async Task InitializeAsync() => _fake = await QdrantFake.StartAsync(new QdrantFakeOptions { ResponseDelay = TimeSpan.FromMilliseconds(20) });

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task UpsertManyAsync_5000_records_of_1536_dimensions_arrive_in_bounded_chunks_with_bounded_parallelism()
    {
        const int Count = 5000;
        const int Dimension = 1536;
        const int MaxRecords = 400;
        const long MaxBytes = 2 * 1024 * 1024;
        await using var storage = SharedQdrantFake.Storage(_fake, o =>
        {
            o.MaxBatchRecords = MaxRecords;
            o.MaxBatchBytes = MaxBytes;
            o.MaxParallelUpserts = 3;
        });
        var index = IndexName.Parse("chunks");
        await storage.CreateIndexAsync(new IndexDefinition(index, Dimension, DistanceMetric.DotProduct));
        var random = new Random(5);
        var records = Enumerable.Range(0, Count).Select(i => new VectorRecord(
            VectorId.Parse($"doc-{i:D5}"),
            Enumerable.Range(0, Dimension).Select(_ => (float)random.NextDouble()).ToArray(),
            Metadata.Create([new("n", i), new("title", $"document {i}")]))).ToArray();
        var reports = new ConcurrentQueue<BatchProgress>();
        _fake.ClearRequests();

        var result = await storage.UpsertManyAsync(index, records, options: BatchOptions.AllOrNothing with { MaxParallelism = 8 }, progress: new Collect(reports));

        var upserts = _fake.Requests.Where(r => r.Rpc == "Points/Upsert").ToArray();
        Assert.Equal(Count, result.Succeeded);
        Assert.True(result.IsComplete);
        Assert.Equal(Count, upserts.Sum(r => r.PointCount));
        Assert.All(upserts, r => Assert.InRange(r.PointCount, 1, MaxRecords));
        Assert.All(upserts, r => Assert.InRange(r.MessageBytes, 1, MaxBytes));
        Assert.True(upserts.Length >= Count * Dimension * 4 / MaxBytes, $"{upserts.Length} calls for {Count * Dimension * 4} bytes of floats");
        Assert.InRange(_fake.MaxConcurrentUpserts, 2, 3);
        Assert.Equal(Count, _fake.PointCount("chunks"));
        Assert.Equal(Count, reports.Max(r => r.Completed));
        Assert.True(reports.Count >= upserts.Length, "progress after every chunk");
    }

    [Fact]
    public async Task UpsertManyAsync_batch_options_tighten_the_bounds_and_parallelism_never_exceeds_them()
    {
        await using var storage = SharedQdrantFake.Storage(_fake, o => o.MaxParallelUpserts = 4);
        var index = IndexName.Parse("small-chunks");
        await storage.CreateIndexAsync(new IndexDefinition(index, 4, DistanceMetric.Euclidean));
        var records = Enumerable.Range(0, 100).Select(i => new VectorRecord(VectorId.Parse($"r{i}"), new float[] { i, 0, 0, 1 })).ToArray();
        _fake.ClearRequests();

        await storage.UpsertManyAsync(index, records, options: new BatchOptions { MaxChunkRecords = 7, MaxParallelism = 1 });

        var upserts = _fake.Requests.Where(r => r.Rpc == "Points/Upsert").ToArray();
        Assert.Equal(15, upserts.Length);
        Assert.All(upserts, r => Assert.InRange(r.PointCount, 1, 7));
        Assert.Equal(1, _fake.MaxConcurrentUpserts);
    }

    [Fact]
    public async Task UpsertManyAsync_all_or_nothing_with_one_bad_record_sends_nothing()
    {
        await using var storage = SharedQdrantFake.Storage(_fake);
        var index = IndexName.Parse("refused");
        await storage.CreateIndexAsync(new IndexDefinition(index, 2, DistanceMetric.Euclidean));
        var records = Enumerable.Range(0, 50).Select(i => new VectorRecord(VectorId.Parse($"r{i}"), new float[] { i, 1 })).ToArray();
        records[31] = new VectorRecord(VectorId.Parse("r31"), new float[] { 1, 2, 3 });
        _fake.ClearRequests();

        var error = await Assert.ThrowsAsync<DimensionMismatchException>(async () => await storage.UpsertManyAsync(index, records, options: BatchOptions.AllOrNothing));

        Assert.Contains(error.Errors, e => e.Path == "vectors[31].values");
        Assert.DoesNotContain(_fake.Requests, r => r.Rpc == "Points/Upsert");
        Assert.Equal(0, _fake.PointCount("refused"));
    }

    [Fact]
    public async Task UpsertManyAsync_a_failing_chunk_fails_the_batch_with_the_mapped_transient_error()
    {
        await using var storage = SharedQdrantFake.Storage(_fake);
        var index = IndexName.Parse("flaky");
        await storage.CreateIndexAsync(new IndexDefinition(index, 2, DistanceMetric.Euclidean));
        _fake.FailNext(Grpc.Core.StatusCode.Unavailable, "Service unavailable: shard 0 is not active", rpc: "Points/Upsert");

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(async () =>
            await storage.UpsertManyAsync(index, Enumerable.Range(0, 30).Select(i => new VectorRecord(VectorId.Parse($"r{i}"), new float[] { i, 1 })).ToArray(), options: new BatchOptions { MaxChunkRecords = 10, MaxParallelism = 1 }));

        Assert.True(error.IsTransient);
    }

    [Fact]
    public void Chunk_never_exceeds_the_byte_bound_except_for_a_single_oversized_point()
    {
        var points = Enumerable.Range(0, 10).Select(i => QdrantPayload.ToPoint(default, new VectorRecord(VectorId.Parse($"p{i}"), new float[i == 4 ? 3000 : 100]))).ToList();

        var chunks = QdrantVectorStorage.Chunk(points, 100, 2000);

        Assert.Equal(10, chunks.Sum(c => c.Count));
        Assert.All(chunks.Where(c => c.Count > 1), c => Assert.True(c.Sum(p => p.CalculateSize() + 3) <= 2000));
        Assert.Contains(chunks, c => c.Count == 1 && c[0].Vectors.Vector.Dense.Data.Count == 3000);
    }

    private sealed class Collect(ConcurrentQueue<BatchProgress> reports) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => reports.Enqueue(value);
    }
}
