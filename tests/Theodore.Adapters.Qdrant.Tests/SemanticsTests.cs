using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;
using Theodore.Qdrant.Fake;

namespace Theodore.Adapters.Qdrant.Tests;

/// <summary>Where Qdrant's own rules differ from Theodore's: thresholds, normalization, filter gaps, ids.</summary>
public sealed class SemanticsTests : IAsyncLifetime
{
    private QdrantFake _fake = null!;
    private QdrantVectorStorage _storage = null!;

    public async Task InitializeAsync()
    {
        _fake = await QdrantFake.StartAsync();
        _storage = SharedQdrantFake.Storage(_fake);
    }

    public async Task DisposeAsync()
    {
        await _storage.DisposeAsync();
        await _fake.DisposeAsync();
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.DotProduct)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Manhattan)]
    public async Task ScoreThreshold_equal_to_a_score_keeps_that_match_though_Qdrant_compares_strictly(DistanceMetric metric)
    {
        var index = await CreateAsync(metric, 2);
        await _storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 0.6f, 0.8f }));
        await _storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("b"), new float[] { -0.8f, 0.6f }));
        var all = await _storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions());
        var exact = all.Matches.Single(m => m.Id.Value == "a").Score;

        var at = await _storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { ScoreThreshold = exact });
        var above = await _storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { ScoreThreshold = float.BitIncrement(exact) });

        Assert.Equal(["a"], at.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
        Assert.Empty(above.Matches);
    }

    [Fact]
    public async Task ScoreThreshold_with_offset_counts_from_the_best_match()
    {
        var index = await CreateAsync(DistanceMetric.Euclidean, 1);
        for (var i = 0; i < 10; i++)
        {
            await _storage.UpsertAsync(index, new VectorRecord(VectorId.Parse($"r{i}"), new float[] { i }));
        }

        var result = await _storage.SearchAsync(index, new float[] { 0 }, new SearchOptions { ScoreThreshold = 1f / 5, Offset = 2, TopK = 5 });

        Assert.Equal(["r2", "r3", "r4"], result.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Cosine_vectors_read_back_normalized_as_capabilities_say()
    {
        var index = await CreateAsync(DistanceMetric.Cosine, 2);
        await _storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 3, 4 }));

        var record = await _storage.GetAsync(index, VectorId.Parse("a"));

        Assert.True(_storage.Capabilities.ReturnsNormalizedCosineVectors);
        Assert.Equal([0.6f, 0.8f], record!.Values.ToArray());
    }

    [Fact]
    public async Task EndsWith_is_not_a_capability_and_is_refused_before_any_call()
    {
        var index = await CreateAsync(DistanceMetric.Cosine, 2);
        _fake.ClearRequests();

        await Assert.ThrowsAsync<UnsupportedFilterException>(async () => await _storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { Filter = Filter.Or(Filter.Eq("a", "b"), Filter.EndsWith("name", "Bank")) }));
        await Assert.ThrowsAsync<UnsupportedFilterException>(async () => await _storage.DeleteByFilterAsync(index, Filter.Not(Filter.EndsWith("name", "x"))));

        Assert.DoesNotContain(FilterOperator.EndsWith, _storage.Capabilities.FilterOperators);
        Assert.Empty(_fake.Requests);
    }

    [Fact]
    public async Task Field_with_a_double_quote_cannot_be_addressed_and_is_refused()
    {
        var index = await CreateAsync(DistanceMetric.Cosine, 2);

        await Assert.ThrowsAsync<UnsupportedFilterException>(async () => await _storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { Filter = Filter.Eq("say \"hi\"", "x") }));
    }

    [Fact]
    public async Task Contains_is_a_substring_on_strings_and_an_element_match_on_lists_starts_with_works_on_both()
    {
        var index = await CreateAsync(DistanceMetric.Cosine, 2);
        await _storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("s"), new float[] { 1, 0 }, Metadata.Create([new("f", "payments")])));
        await _storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("l"), new float[] { 1, 0 }, Metadata.Create([new("f", new[] { "payments", "ai" })])));

        var contains = await _storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { Filter = Filter.Contains("f", "pay") });
        var element = await _storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { Filter = Filter.Contains("f", "ai") });
        var prefix = await _storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { Filter = Filter.StartsWith("f", "pay") });

        Assert.Equal(["s"], contains.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
        Assert.Equal(["l"], element.Matches.Select(m => m.Id.Value), StringComparer.Ordinal);
        Assert.Equal(["l", "s"], prefix.Matches.Select(m => m.Id.Value).Order(StringComparer.Ordinal), StringComparer.Ordinal);
    }

    [Fact]
    public async Task Numbers_stored_as_integers_by_another_writer_still_filter_and_read_as_numbers()
    {
        var index = await CreateAsync(DistanceMetric.Cosine, 2);
        var point = QdrantPayload.ToPoint(default, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }, Metadata.Create([new("n", 0)])));
        point.Payload[QdrantPayload.MetadataKey].StructValue.Fields["n"] = new global::Qdrant.Client.Grpc.Value { IntegerValue = 2015 };
        using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress(_fake.Endpoint))
        {
            using var raw = new global::Qdrant.Client.QdrantClient(new global::Qdrant.Client.Grpc.QdrantGrpcClient(channel));
            await raw.UpsertAsync(index.Value, [point]);
        }

        var eq = await _storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { Filter = Filter.Eq("n", 2015) });
        var gte = await _storage.SearchAsync(index, new float[] { 1, 0 }, new SearchOptions { Filter = Filter.Gte("n", 2015.0) });

        Assert.Single(eq.Matches);
        Assert.Single(gte.Matches);
        Assert.Equal(2015, eq.Matches[0].Metadata!["n"].AsNumber);
    }

    [Fact]
    public async Task DeleteByFilterAsync_counts_then_deletes_in_the_namespace_only()
    {
        var index = await CreateAsync(DistanceMetric.Cosine, 2);
        var meta = Metadata.Create([new("k", "v")]);
        await _storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }, meta), Namespace.Parse("x"));
        await _storage.UpsertAsync(index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0 }, meta), Namespace.Parse("y"));
        _fake.ClearRequests();

        var deleted = await _storage.DeleteByFilterAsync(index, Filter.Eq("k", "v"), Namespace.Parse("x"));

        Assert.Equal(1, deleted);
        Assert.Equal(["Points/Count", "Points/Delete"], _fake.Requests.Select(r => r.Rpc), StringComparer.Ordinal);
        Assert.NotNull(await _storage.GetAsync(index, VectorId.Parse("a"), Namespace.Parse("y")));
    }

    [Fact]
    public void Point_ids_are_RFC_9562_UUIDv5_in_a_fixed_namespace_and_differ_per_namespace()
    {
        // RFC 9562 appendix A.4: DNS namespace, "www.example.com"
        Assert.Equal(Guid.Parse("2ed6657d-e927-568b-95e1-2665a8aea6a2"), QdrantPointIds.Uuid5(Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "www.example.com"));
        Assert.Equal(Guid.Parse("eb550dcb-c324-4cd7-abd9-2ce681179fa7"), QdrantPointIds.Namespace);
        var id = VectorId.Parse("company:42");
        Assert.Equal(QdrantPointIds.ToUuid(default, id), QdrantPointIds.ToUuid(default, VectorId.Parse("company:42")));
        Assert.NotEqual(QdrantPointIds.ToUuid(default, id), QdrantPointIds.ToUuid(Namespace.Parse("other"), id));
        Assert.Equal('5', QdrantPointIds.ToUuid(default, id).ToString("D")[14]);
    }

    private async Task<IndexName> CreateAsync(DistanceMetric metric, int dimension)
    {
        var index = IndexName.Parse("s-" + Guid.NewGuid().ToString("N")[..12]);
        await _storage.CreateIndexAsync(new IndexDefinition(index, dimension, metric));
        return index;
    }
}
