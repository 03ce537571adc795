using Microsoft.Extensions.Time.Testing;
using Theodore.Adapters.Mock;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Decorators.Caching;

namespace Theodore.Infrastructure.Tests.Decorators;

public sealed class CachingVectorStorageTests : IDisposable
{
    private static readonly IndexName Index = IndexName.Parse("cached");
    private static readonly float[] Query = [1, 0.5f, 0.25f, 0];
    private readonly List<SearchCache> _caches = [];

    public void Dispose()
    {
        foreach (var cache in _caches)
        {
            cache.Dispose();
        }
    }

    [Fact]
    public async Task Identical_search_is_a_hit_and_does_not_reach_the_backend()
    {
        var (mock, storage) = await CreateAsync();

        var first = await storage.SearchAsync(Index, Query, new SearchOptions { TopK = 2 });
        var second = await storage.SearchAsync(Index, Query.ToArray(), new SearchOptions { TopK = 2 });

        Assert.Equal(1, Searches(mock));
        Assert.Equal(first.Matches.Select(m => (m.Id, m.Score)), second.Matches.Select(m => (m.Id, m.Score)));
        Assert.Equal((1L, 1L), (storage.GetStatistics().Hits, storage.GetStatistics().Misses));
    }

    public static TheoryData<string> Writes => new() { "upsert", "delete", "upsert_many", "delete_many", "delete_by_filter", "delete_all", "recreate_index" };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Any_write_to_the_index_makes_the_next_search_a_miss_with_the_new_state(string write)
    {
        var (mock, storage) = await CreateAsync();
        var batch = storage.GetRequiredService<IBatchVectorStorage>();
        var before = await storage.SearchAsync(Index, Query, new SearchOptions { TopK = 10 });
        Assert.Equal(3, before.Matches.Count);

        switch (write)
        {
            case "upsert": await storage.UpsertAsync(Index, TestStorage.Record("d", 1, 0.5f, 0.25f, 0)); break;
            case "delete": await storage.DeleteAsync(Index, VectorId.Parse("a")); break;
            case "upsert_many": await batch.UpsertManyAsync(Index, [TestStorage.Record("d", 1, 0.5f, 0.25f, 0)]); break;
            case "delete_many": await batch.DeleteManyAsync(Index, [VectorId.Parse("a")]); break;
            case "delete_by_filter": await batch.DeleteByFilterAsync(Index, new FieldFilter("kind", FilterOperator.Eq, MetadataValue.FromString("odd"))); break;
            case "delete_all": await batch.DeleteAllAsync(Index); break;
            default:
                await storage.DeleteIndexAsync(Index);
                await storage.CreateIndexAsync(TestStorage.Definition(Index.Value));
                break;
        }

        var after = await storage.SearchAsync(Index, Query, new SearchOptions { TopK = 10 });
        var truth = await mock.SearchAsync(Index, Query, new SearchOptions { TopK = 10 });

        Assert.Equal(2, Searches(mock) - 1);
        Assert.Equal(string.Join(',', truth.Matches.Select(m => m.Id.Value)), string.Join(',', after.Matches.Select(m => m.Id.Value)));
        Assert.NotEqual(string.Join(',', before.Matches.Select(m => m.Id.Value)), string.Join(',', after.Matches.Select(m => m.Id.Value)), StringComparer.Ordinal);
        Assert.Equal(0, storage.GetStatistics().Hits);
    }

    [Fact]
    public async Task Same_query_on_another_index_namespace_or_option_is_never_answered_from_this_entry()
    {
        var (mock, storage) = await CreateAsync();
        await mock.CreateIndexAsync(TestStorage.Definition("other"));
        await mock.UpsertAsync(IndexName.Parse("other"), TestStorage.Record("z", 1, 0.5f, 0.25f, 0));
        await mock.UpsertAsync(Index, TestStorage.Record("n1", 1, 0.5f, 0.25f, 0), Namespace.Parse("tenant"));

        var baseline = await storage.SearchAsync(Index, Query, new SearchOptions { TopK = 10 });
        var otherIndex = await storage.SearchAsync(IndexName.Parse("other"), Query, new SearchOptions { TopK = 10 });
        var otherNamespace = await storage.SearchAsync(Index, Query, new SearchOptions { TopK = 10, Namespace = Namespace.Parse("tenant") });
        var fewer = await storage.SearchAsync(Index, Query, new SearchOptions { TopK = 1 });
        var filtered = await storage.SearchAsync(Index, Query, new SearchOptions { TopK = 10, Filter = new FieldFilter("kind", FilterOperator.Eq, MetadataValue.FromString("odd")) });
        var withValues = await storage.SearchAsync(Index, Query, new SearchOptions { TopK = 10, IncludeValues = true });
        var thresholded = await storage.SearchAsync(Index, Query, new SearchOptions { TopK = 10, ScoreThreshold = 0.99f });
        var reranked = await storage.SearchAsync(Index, Query, new SearchOptions { TopK = 10, RerankFactor = 7 });
        var nearlySame = await storage.SearchAsync(Index, new float[] { 1, 0.5f, 0.25f, BitConverter.Int32BitsToSingle(1) }, new SearchOptions { TopK = 10 });
        var byId = await storage.SearchByIdAsync(Index, VectorId.Parse("a"), new SearchOptions { TopK = 10 });

        Assert.Equal(10, Searches(mock) + SearchesById(mock));
        Assert.Equal(0, storage.GetStatistics().Hits);
        Assert.Equal("z", Assert.Single(otherIndex.Matches).Id.Value);
        Assert.Equal("n1", Assert.Single(otherNamespace.Matches).Id.Value);
        Assert.Single(fewer.Matches);
        Assert.True(filtered.Matches.Count < baseline.Matches.Count);
        Assert.All(withValues.Matches, m => Assert.NotNull(m.Values));
        Assert.All(baseline.Matches, m => Assert.Null(m.Values));
        Assert.True(thresholded.Matches.Count < baseline.Matches.Count);
        Assert.Equal(baseline.Matches.Count, nearlySame.Matches.Count);
        Assert.Equal(baseline.Matches.Count, reranked.Matches.Count);
        Assert.DoesNotContain(byId.Matches, m => m.Id.Value == "a");
    }

    [Fact]
    public async Task Entry_expires_after_the_ttl_on_the_cache_clock()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-12-05T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var (mock, storage) = await CreateAsync(new CachingOptions { Ttl = TimeSpan.FromMinutes(2) }, time);

        await storage.SearchAsync(Index, Query, new SearchOptions());
        time.Advance(TimeSpan.FromSeconds(119));
        await storage.SearchAsync(Index, Query, new SearchOptions());
        Assert.Equal(1, Searches(mock));

        time.Advance(TimeSpan.FromSeconds(2));
        await storage.SearchAsync(Index, Query, new SearchOptions());

        Assert.Equal(2, Searches(mock));
        Assert.Equal((1L, 2L), (storage.GetStatistics().Hits, storage.GetStatistics().Misses));
    }

    [Fact]
    public async Task Memory_level_never_holds_more_than_its_byte_bound()
    {
        var options = new CachingOptions { MaxBytes = 4096 };
        var (mock, storage) = await CreateAsync(options);
        var sizes = new List<long>();

        for (var i = 0; i < 200; i++)
        {
            await storage.SearchAsync(Index, new float[] { 1, i, 0.5f, 0.25f }, new SearchOptions { TopK = 3 });
            sizes.Add(storage.GetStatistics().Bytes);
        }

        var stats = storage.GetStatistics();
        Assert.All(sizes, size => Assert.InRange(size, 0, options.MaxBytes));
        Assert.True(stats.Entries is > 0 and < 200, $"{stats.Entries} entries");
        Assert.Equal(200, Searches(mock));
    }

    [Fact]
    public async Task Statistics_count_exact_hits_misses_entries_and_invalidations()
    {
        var (_, storage) = await CreateAsync();

        for (var i = 0; i < 5; i++)
        {
            for (var repeat = 0; repeat < 3; repeat++)
            {
                await storage.SearchAsync(Index, new float[] { 1, i, 0, 0 }, new SearchOptions());
            }
        }

        await storage.UpsertAsync(Index, TestStorage.Record("e", 0, 0, 0, 1));
        await storage.InvalidateAsync(Index);
        await storage.InvalidateAsync();
        await storage.SearchAsync(Index, new float[] { 1, 0, 0, 0 }, new SearchOptions());

        var stats = storage.GetStatistics();
        Assert.Equal(10, stats.Hits);
        Assert.Equal(6, stats.Misses);
        Assert.Equal(3, stats.Invalidations);
        Assert.Equal(6, stats.Entries);
        Assert.Equal(10.0 / 16, stats.HitRatio);
    }

    [Fact]
    public async Task GetService_finds_the_cache_and_the_adapters_other_ports()
    {
        var (mock, storage) = await CreateAsync();

        Assert.Same(storage, storage.GetService<ICacheableVectorStorage>());
        Assert.NotNull(storage.GetService<IStreamingVectorStorage>());
        Assert.NotSame(mock, storage.GetService<IBatchVectorStorage>());
        Assert.Same(mock, storage.GetService<MockVectorStorage>());
    }

    internal static int Searches(MockVectorStorage mock) => mock.Calls.Count(c => c.Operation == "Search");

    private static int SearchesById(MockVectorStorage mock) => mock.Calls.Count(c => c.Operation == "SearchById");

    private async Task<(MockVectorStorage Mock, CachingVectorStorage Storage)> CreateAsync(CachingOptions? options = null, TimeProvider? time = null)
    {
        var mock = await TestStorage.MockWithIndexAsync(Index.Value);
        await mock.UpsertAsync(Index, new VectorRecord(VectorId.Parse("a"), new float[] { 1, 0, 0, 0 }, Metadata.Create([new("kind", MetadataValue.FromString("odd"))])));
        await mock.UpsertAsync(Index, new VectorRecord(VectorId.Parse("b"), new float[] { 0, 1, 0, 0 }, Metadata.Create([new("kind", MetadataValue.FromString("even"))])));
        await mock.UpsertAsync(Index, new VectorRecord(VectorId.Parse("c"), new float[] { 0, 0, 1, 0 }, Metadata.Create([new("kind", MetadataValue.FromString("odd"))])));
        mock.ClearCalls();
        var cache = new SearchCache(options ?? new CachingOptions(), time);
        _caches.Add(cache);
        return (mock, new CachingVectorStorage(mock, cache));
    }
}
