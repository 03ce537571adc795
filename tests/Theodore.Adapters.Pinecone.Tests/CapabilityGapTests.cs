using Theodore.Adapters.Pinecone.Tests.Support;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Pinecone.Tests;

/// <summary>What Pinecone cannot do is declared in the capabilities and refused before any request is sent.</summary>
public sealed class CapabilityGapTests
{
    [Fact]
    public async Task Capabilities_declare_the_gaps()
    {
        await using var scope = await FakeScope.StartAsync();
        var capabilities = scope.Storage.Capabilities;

        Assert.Equal("pinecone", capabilities.SystemName);
        Assert.Equal([DistanceMetric.Cosine, DistanceMetric.Euclidean, DistanceMetric.DotProduct], capabilities.Metrics.Order());
        Assert.DoesNotContain(FilterOperator.Contains, capabilities.FilterOperators);
        Assert.DoesNotContain(FilterOperator.StartsWith, capabilities.FilterOperators);
        Assert.DoesNotContain(FilterOperator.EndsWith, capabilities.FilterOperators);
        Assert.False(capabilities.SupportsOffset);
        Assert.False(capabilities.SupportsExactSearch);
        Assert.True(capabilities.SupportsNamespaces);
        Assert.True(capabilities.SupportsDeleteByFilter);
        Assert.Equal(ConsistencyLevel.Eventual, capabilities.Consistency);
        Assert.False(capabilities.NegatesRangeFilters);
        Assert.False(capabilities.CountsMetadataFields);
        Assert.False(capabilities.AcceptsZeroVectors);
        Assert.Equal(1000, capabilities.MaxBatchRecords);
        Assert.Equal(2_000_000, capabilities.MaxBatchBytes);
        Assert.Same(scope.Storage, scope.Storage.GetService<IBatchVectorStorage>());
        Assert.Same(scope.Storage, scope.Storage.GetService<IStreamingVectorStorage>());
        Assert.Null(scope.Storage.GetService<IBackupStorage>());
    }

    public static TheoryData<string> Refusals => ["manhattan", "hnsw", "contains", "starts-with", "not-range", "offset", "exact", "zero-vector", "dollar-key", "default-alias", "dollar-field"];

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Refused_with_the_documented_error_and_nothing_sent(string gap)
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        var storage = scope.Storage;
        float[] query = [1, 0];
        var mark = scope.Fake.Requests.Count;

        Func<Task> call = gap switch
        {
            "manhattan" => async () => await storage.CreateIndexAsync(new IndexDefinition(IndexName.Parse("manhattan"), 2, DistanceMetric.Manhattan)),
            "hnsw" => async () => await storage.CreateIndexAsync(new IndexDefinition(IndexName.Parse("hnsw"), 2, DistanceMetric.Cosine, hnsw: new HnswOptions(m: 16))),
            "contains" => async () => await storage.SearchAsync(index, query, new SearchOptions { Filter = Filter.Contains("name", "Acme") }),
            "starts-with" => async () => await storage.DeleteByFilterAsync(index, Filter.StartsWith("name", "Acme")),
            "not-range" => async () => await storage.SearchAsync(index, query, new SearchOptions { Filter = Filter.Not(Filter.Gte("founded", 2010)) }),
            "offset" => async () => await storage.SearchAsync(index, query, new SearchOptions { Offset = 1 }),
            "exact" => async () => await storage.SearchAsync(index, query, new SearchOptions { Exact = true }),
            "zero-vector" => async () => await storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("z"), new float[] { 0, 0 })),
            "dollar-key" => async () => await storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("d"), new float[] { 1, 0 }, Metadata.Create([new("$weird", "x")]))),
            "default-alias" => async () => await storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("d"), new float[] { 1, 0 }), Namespace.Parse("__default__")),
            "dollar-field" => async () => await storage.SearchAsync(index, query, new SearchOptions { Filter = Filter.Eq("$and", "x") }),
            _ => throw new ArgumentOutOfRangeException(nameof(gap), gap, "unknown gap"),
        };

        var error = await Assert.ThrowsAnyAsync<VectorStorageException>(call);

        Assert.IsType(
            gap switch
            {
                "manhattan" or "hnsw" or "offset" or "exact" => typeof(UnsupportedOperationException),
                "contains" or "starts-with" or "not-range" or "dollar-field" => typeof(UnsupportedFilterException),
                _ => typeof(InvalidRequestException),
            },
            error);
        Assert.False(error.IsTransient);
        Assert.Empty(scope.RequestsSince(mark));
    }

    [Fact]
    public async Task Negated_equality_and_membership_are_pushed_down_exactly()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        VectorRecord[] records =
        [
            new(VectorId.Parse("a"), new float[] { 1, 0 }, Metadata.Create([new("k", "x"), new("flag", true)])),
            new(VectorId.Parse("b"), new float[] { 1, 1 }, Metadata.Create([new("k", "y"), new("flag", false)])),
            new(VectorId.Parse("c"), new float[] { 0, 1 }),
        ];
        await scope.Storage.UpsertManyAsync(index, records);
        FilterExpression[] filters =
        [
            Filter.Not(Filter.Eq("k", "x")),
            Filter.Not(Filter.In("k", "x", "y")),
            Filter.Not(Filter.And(Filter.Eq("k", "x"), Filter.Exists("flag"))),
            Filter.Not(Filter.Or(Filter.Eq("flag", true), Filter.Exists("k", false))),
            Filter.In("flag", true, "y"),
            Filter.NotIn("flag", false),
        ];

        foreach (var filter in filters)
        {
            var result = await scope.Storage.SearchAsync(index, new float[] { 1, 1 }, new SearchOptions { Filter = filter, TopK = 10 });
            var expected = records.Where(r => FilterEvaluator.Matches(filter, r.Metadata)).Select(r => r.Id.Value).Order(StringComparer.Ordinal);
            Assert.Equal(expected, result.Matches.Select(m => m.Id.Value).Order(StringComparer.Ordinal));
        }

        Assert.Empty(scope.Fake.SpecViolations);
    }

    [Fact]
    public void Ne_is_sent_with_the_missing_field_case_and_booleans_leave_in()
    {
        var ne = PineconeFilters.Translate(Filter.Ne("k", "x"), "idx", "Search")!.ToJsonString();
        var inWithBoolean = PineconeFilters.Translate(Filter.In("k", "x", true), "idx", "Search")!.ToJsonString();

        Assert.Equal("""{"$or":[{"k":{"$ne":"x"}},{"k":{"$exists":false}}]}""", ne);
        Assert.Equal("""{"$or":[{"k":{"$in":["x"]}},{"k":{"$eq":true}}]}""", inWithBoolean);
    }

    [Fact]
    public async Task Eventual_consistency_writes_become_visible_after_the_delay()
    {
        await using var scope = await FakeScope.StartAsync(new Theodore.Pinecone.Fake.PineconeFakeOptions { VisibilityDelay = TimeSpan.FromSeconds(1) });
        var index = await scope.CreateIndexAsync(2);

        await scope.Storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }));
        var before = await scope.Storage.GetAsync(index, VectorId.Parse("a"));
        await Task.Delay(1200);
        var after = await scope.Storage.GetAsync(index, VectorId.Parse("a"));

        Assert.Null(before);
        Assert.NotNull(after);
    }

    [Fact]
    public async Task Stats_count_per_namespace_and_leave_field_counts_and_memory_empty()
    {
        await using var scope = await FakeScope.StartAsync();
        var index = await scope.CreateIndexAsync(2);
        await scope.Storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }, Metadata.Create([new("k", "v")])), Namespace.Parse("n1"));
        await scope.Storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("b"), new float[] { 1, 0 }));

        var stats = await scope.Storage.GetStatsAsync(index);

        Assert.Equal(2, stats.TotalVectors);
        Assert.Equal(1, stats.Namespaces["n1"]);
        Assert.Equal(1, stats.Namespaces[string.Empty]);
        Assert.Empty(stats.MetadataFields);
        Assert.Null(stats.MemoryBytes);
    }
}
