using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests;

public sealed class NativeVectorStorageTests
{
    private static readonly IndexName Index = IndexName.Parse("native");

    [Fact]
    public void Capabilities_declare_offset_exact_search_namespaces_and_normalized_cosine_vectors()
    {
        var capabilities = new NativeVectorStorage().Capabilities;

        Assert.Equal("theodore", capabilities.SystemName);
        Assert.True(capabilities.SupportsOffset);
        Assert.True(capabilities.SupportsExactSearch);
        Assert.True(capabilities.SupportsNamespaces);
        Assert.True(capabilities.SupportsDeleteByFilter);
        Assert.True(capabilities.ReturnsNormalizedCosineVectors);
        Assert.Equal(ConsistencyLevel.Strong, capabilities.Consistency);
    }

    [Fact]
    public async Task GetAsync_on_a_cosine_index_returns_the_unit_vector_and_other_metrics_return_what_was_written()
    {
        var storage = new NativeVectorStorage();
        var euclidean = IndexName.Parse("plain");
        await storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Cosine));
        await storage.CreateIndexAsync(new IndexDefinition(euclidean, 2, DistanceMetric.Euclidean));
        await storage.UpsertAsync(Index, new VectorRecord(VectorId.Parse("a"), new float[] { 3, 4 }));
        await storage.UpsertAsync(euclidean, new VectorRecord(VectorId.Parse("a"), new float[] { 3, 4 }));

        var cosine = await storage.GetAsync(Index, VectorId.Parse("a"));
        var plain = await storage.GetAsync(euclidean, VectorId.Parse("a"));

        Assert.Equal([0.6f, 0.8f], cosine!.Values.ToArray());
        Assert.Equal([3f, 4f], plain!.Values.ToArray());
    }

    [Fact]
    public async Task SearchAsync_reports_approximate_only_when_the_graph_was_walked()
    {
        var storage = new NativeVectorStorage();
        await storage.CreateIndexAsync(new IndexDefinition(Index, 4, DistanceMetric.Euclidean));
        var random = new Random(1);
        var records = Enumerable.Range(0, 100).Select(i => new VectorRecord(VectorId.Parse($"r{i}"), TestVectors.Random(random, 4))).ToArray();
        await storage.GetRequiredService<IBatchVectorStorage>().UpsertManyAsync(Index, records);
        var query = TestVectors.Random(random, 4);

        Assert.True((await storage.SearchAsync(Index, query, new SearchOptions { TopK = 10 })).Approximate);
        Assert.False((await storage.SearchAsync(Index, query, new SearchOptions { TopK = 10, Exact = true })).Approximate);
        Assert.False((await storage.SearchAsync(Index, query, new SearchOptions { TopK = 90, Offset = 10 })).Approximate);
    }

    [Fact]
    public async Task GetStatsAsync_counts_records_per_field_including_list_fields_and_empty_lists()
    {
        var storage = new NativeVectorStorage();
        await storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Cosine));
        await storage.UpsertAsync(Index, Record("a", ("tags", MetadataValue.FromStrings(["x", "y", "z"])), ("size", 1)));
        await storage.UpsertAsync(Index, Record("b", ("tags", MetadataValue.FromStrings([])), ("size", 1)));
        await storage.UpsertAsync(Index, Record("c", ("size", 2)));
        await storage.UpsertAsync(Index, Record("d", ("tags", MetadataValue.FromStrings(["x"]))), Namespace.Parse("other"));

        var stats = await storage.GetStatsAsync(Index);

        Assert.Equal(4, stats.TotalVectors);
        Assert.Equal(3, stats.MetadataFields["tags"]);
        Assert.Equal(3, stats.MetadataFields["size"]);
        Assert.Equal(3, stats.Namespaces[string.Empty]);
        Assert.Equal(1, stats.Namespaces["other"]);
    }

    [Fact]
    public async Task GetStatsAsync_memory_grows_with_the_records_stored()
    {
        var storage = new NativeVectorStorage();
        await storage.CreateIndexAsync(new IndexDefinition(Index, 64, DistanceMetric.DotProduct));
        var empty = (await storage.GetStatsAsync(Index)).MemoryBytes;
        var random = new Random(2);
        var records = Enumerable.Range(0, 2000).Select(i => new VectorRecord(VectorId.Parse($"r{i}"), TestVectors.Random(random, 64))).ToArray();
        await storage.GetRequiredService<IBatchVectorStorage>().UpsertManyAsync(Index, records);

        var full = (await storage.GetStatsAsync(Index)).MemoryBytes;

        Assert.True(empty > 0);

        // At least the raw floats are accounted for.
        Assert.True(full - empty >= 2000L * 64 * sizeof(float), $"memory went from {empty} to {full} bytes");
    }

    [Fact]
    public async Task UpsertManyAsync_large_batch_with_a_repeated_id_keeps_the_last_and_chunks_by_bytes()
    {
        var storage = new NativeVectorStorage();
        await storage.CreateIndexAsync(new IndexDefinition(Index, 8, DistanceMetric.Euclidean));
        var random = new Random(4);
        var records = Enumerable.Range(0, 1200).Select(i => new VectorRecord(VectorId.Parse($"r{i % 1000}"), TestVectors.Random(random, 8))).ToList();
        var reports = new List<BatchProgress>();

        // 8 floats + a short id is about 40 bytes, so 20,000 bytes hold some 500 records per chunk.
        var result = await storage.GetRequiredService<IBatchVectorStorage>().UpsertManyAsync(
            Index,
            records,
            options: new BatchOptions { MaxChunkRecords = 1000, MaxChunkBytes = 20_000, MaxParallelism = 2 },
            progress: new SyncProgress(reports));

        Assert.True(result.IsComplete);
        Assert.Equal(1200, result.Succeeded);
        Assert.Equal(1000, (await storage.DescribeIndexAsync(Index)).VectorCount);
        Assert.True(reports.Count >= 3, $"{reports.Count} progress reports");
        Assert.Equal(new BatchProgress(1200, 0, 1200), reports[^1]);
        var last = await storage.GetAsync(Index, VectorId.Parse("r5"));
        Assert.Equal(records[1005].Values.ToArray(), last!.Values.ToArray());
    }

    [Fact]
    public async Task DeleteAllAsync_then_upsert_into_the_same_namespace_starts_it_afresh()
    {
        var storage = new NativeVectorStorage();
        var batch = storage.GetRequiredService<IBatchVectorStorage>();
        var ns = Namespace.Parse("tenant");
        await storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Cosine));
        await storage.UpsertAsync(Index, Record("a"), ns);
        await storage.UpsertAsync(Index, Record("b"), ns);

        Assert.Equal(2, await batch.DeleteAllAsync(Index, ns));
        await storage.UpsertAsync(Index, Record("c"), ns);

        var result = await storage.SearchAsync(Index, new float[] { 1, 0 }, new SearchOptions { Namespace = ns });
        Assert.Equal(["c"], result.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
        Assert.Equal(0, await batch.DeleteAllAsync(Index, Namespace.Parse("never-written")));
    }

    [Fact]
    public async Task DeleteByFilterAsync_contains_on_a_list_deletes_members_not_substring_matches()
    {
        var storage = new NativeVectorStorage();
        await storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Cosine));
        await storage.UpsertAsync(Index, Record("a", ("tags", MetadataValue.FromStrings(["fintech"]))));
        await storage.UpsertAsync(Index, Record("b", ("tags", MetadataValue.FromStrings(["fin"]))));

        var removed = await storage.GetRequiredService<IBatchVectorStorage>().DeleteByFilterAsync(Index, Filter.Contains("tags", "fin"));

        Assert.Equal(1, removed);
        Assert.NotNull(await storage.GetAsync(Index, VectorId.Parse("a")));
        Assert.Null(await storage.GetAsync(Index, VectorId.Parse("b")));
    }

    [Fact]
    public async Task DescribeIndexAsync_times_come_from_the_time_provider_and_move_on_writes_only()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var storage = new NativeVectorStorage(time: clock);
        var created = clock.Now;
        await storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Cosine));
        clock.Now = created.AddMinutes(5);
        await storage.UpsertAsync(Index, Record("a"));
        clock.Now = created.AddMinutes(9);
        await storage.SearchAsync(Index, new float[] { 1, 0 }, new SearchOptions());
        Assert.False(await storage.DeleteAsync(Index, VectorId.Parse("missing")));

        var info = await storage.DescribeIndexAsync(Index);

        Assert.Equal(created, info.CreatedAt);
        Assert.Equal(created.AddMinutes(5), info.UpdatedAt);
    }

    [Fact]
    public void Constructor_out_of_range_options_are_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new NativeVectorStorage(new NativeOptions { DefaultM = 1 }));

        Assert.Contains("DefaultM", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SearchAsync_per_query_ef_overrides_a_narrow_default_ef()
    {
        var storage = new NativeVectorStorage(new NativeOptions { DefaultEf = 1, Durability = Engine.Durability.DurabilityMode.None });
        await storage.CreateIndexAsync(new IndexDefinition(Index, 8, DistanceMetric.Euclidean, hnsw: new HnswOptions(m: 4, efConstruction: 16)));
        var random = new Random(8);
        var records = Enumerable.Range(0, 1000).Select(i => new VectorRecord(VectorId.Parse($"r{i}"), TestVectors.Random(random, 8))).ToArray();
        await storage.GetRequiredService<IBatchVectorStorage>().UpsertManyAsync(Index, records);
        int narrowMisses = 0, wideMisses = 0;
        for (var q = 0; q < 50; q++)
        {
            var query = TestVectors.Random(random, 8);
            var exact = (await storage.SearchAsync(Index, query, new SearchOptions { TopK = 10, Exact = true })).Matches.Select(m => m.Id).ToHashSet();
            var narrow = await storage.SearchAsync(Index, query, new SearchOptions { TopK = 10 });
            var wide = await storage.SearchAsync(Index, query, new SearchOptions { TopK = 10, Ef = 1000 });
            narrowMisses += narrow.Matches.Count(m => !exact.Contains(m.Id));
            wideMisses += wide.Matches.Count(m => !exact.Contains(m.Id));
        }

        Assert.True(narrowMisses > 0, "the narrow default ef found everything, so this test proves nothing");
        Assert.Equal(0, wideMisses);
    }

    [Fact]
    public async Task SearchAsync_top_k_plus_offset_past_ten_thousand_works_on_small_namespaces_and_is_refused_on_large_ones()
    {
        var storage = new NativeVectorStorage();
        var small = IndexName.Parse("small");
        await storage.CreateIndexAsync(new IndexDefinition(small, 2, DistanceMetric.Euclidean));
        await storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Euclidean, hnsw: new HnswOptions(m: 4, efConstruction: 8)));
        var random = new Random(9);
        var records = Enumerable.Range(0, 10_001).Select(i => new VectorRecord(VectorId.Parse($"r{i}"), TestVectors.Random(random, 2))).ToArray();
        var batch = storage.GetRequiredService<IBatchVectorStorage>();
        await batch.UpsertManyAsync(small, records[..20]);
        await batch.UpsertManyAsync(Index, records, options: new BatchOptions { MaxChunkRecords = 10_001, MaxChunkBytes = 10_000_000 });
        var options = new SearchOptions { TopK = 10_000, Offset = 5, IncludeMetadata = false };

        var few = await storage.SearchAsync(small, new float[] { 0, 0 }, options);
        var error = await Assert.ThrowsAsync<InvalidRequestException>(async () => await storage.SearchAsync(Index, new float[] { 0, 0 }, options));

        Assert.Equal(15, few.Matches.Count);
        Assert.Equal("offset", Assert.Single(error.Errors).Path);
    }

    [Fact]
    public async Task UpsertAsync_and_SearchAsync_vector_errors_name_the_backend_index_and_operation()
    {
        var storage = new NativeVectorStorage();
        await storage.CreateIndexAsync(new IndexDefinition(Index, 2, DistanceMetric.Cosine));

        var write = await Assert.ThrowsAsync<DimensionMismatchException>(async () => await storage.UpsertAsync(Index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 2, 3 })));
        var query = await Assert.ThrowsAsync<InvalidRequestException>(async () => await storage.SearchAsync(Index, new float[] { 0, 0 }, new SearchOptions()));

        Assert.Equal(("theodore", "native", "Upsert"), (write.SystemName, write.Index, write.Operation));
        Assert.Equal(("theodore", "native", "Search"), (query.SystemName, query.Index, query.Operation));
        Assert.Equal("vector", Assert.Single(query.Errors).Path);
    }

    private static VectorRecord Record(string id, params (string Key, MetadataValue Value)[] metadata) =>
        new(VectorId.Parse(id), new float[] { 1, 1 }, Metadata.Create(metadata.Select(p => new KeyValuePair<string, MetadataValue>(p.Key, p.Value))));

    private sealed class SyncProgress(List<BatchProgress> reports) : IProgress<BatchProgress>
    {
        public void Report(BatchProgress value) => reports.Add(value);
    }

    [Fact]
    public async Task UpsertManyAsync_beforeTheGraphLinksTheRecords_findsEachAtOnceAndStatsCountTheBacklogDown()
    {
        var storage = new NativeVectorStorage(new NativeOptions { Durability = Engine.Durability.DurabilityMode.None, MaxUnindexedVectors = 1_000_000 });
        var index = IndexName.Parse("backlog");
        await storage.CreateIndexAsync(new IndexDefinition(index, 24, DistanceMetric.Euclidean));
        var points = TestVectors.Clustered(new Random(3), 3_000, 24, clusters: 12, spread: 0.3);
        var records = points.Select((p, i) => new VectorRecord(VectorId.Parse($"r{i:D5}"), p)).ToArray();

        var result = await storage.UpsertManyAsync(index, records);

        Assert.True(result.IsComplete);
        Assert.InRange((await storage.GetStatsAsync(index)).UnindexedVectors!.Value, 0, records.Length);
        for (var i = 0; i < records.Length; i += 97)
        {
            var top = await storage.SearchAsync(index, points[i], new SearchOptions { TopK = 1 });
            Assert.Equal(records[i].Id, top.Matches[0].Id);
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await storage.GetStatsAsync(index)).UnindexedVectors > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        Assert.Equal(0, (await storage.GetStatsAsync(index)).UnindexedVectors);
        Assert.True((await storage.CheckIntegrityAsync(index)).IsHealthy);
    }
}
