using FsCheck;
using FsCheck.Fluent;
using Theodore.Adapters.Mock;
using Theodore.Core.Domain;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Decorators.Caching;

namespace Theodore.Infrastructure.Tests.Decorators;

public sealed class CacheStalenessPropertyTests
{
    private static readonly IndexName Index = IndexName.Parse("stale");

    /// <summary>
    /// One writer bumps record x's version 1, 2, 3... through the cache while searchers repeat two queries. The backend
    /// returns each search result a random number of yields after computing it, so searches are in flight across
    /// writes. A search that starts after version k was acknowledged must see at least version k.
    /// </summary>
    [Fact]
    public void Search_after_an_acknowledged_write_never_returns_a_result_from_before_it()
    {
        long totalHits = 0;
        var schedules =
            from writes in Gen.Choose(1, 25)
            from searchers in Gen.Choose(1, 4)
            from seed in Gen.Choose(0, int.MaxValue)
            select (writes, searchers, seed);

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(40),
            Prop.ForAll(schedules.ToArbitrary(), schedule =>
            {
                var (stale, hits) = RunAsync(schedule.writes, schedule.searchers, schedule.seed).GetAwaiter().GetResult();
                Interlocked.Add(ref totalHits, hits);
                return (stale.Count == 0).Label($"stale results (started after version, saw version): {string.Join(", ", stale.Take(10))}");
            }));

        Assert.True(totalHits > 0, "no search was ever a hit, so the property says nothing about the cache");
    }

    private static async Task<(List<(long Floor, long Seen)> Stale, long Hits)> RunAsync(int writes, int searchers, int seed)
    {
        var mock = new MockVectorStorage();
        await mock.CreateIndexAsync(TestStorage.Definition(Index.Value));
        await mock.UpsertAsync(Index, Versioned(0));
        using var cache = new SearchCache(new CachingOptions());
        var storage = new CachingVectorStorage(new Jittery(mock, seed), cache);
        long acked = 0;
        var done = 0;
        var stale = new List<(long, long)>();

        var writer = Task.Run(async () =>
        {
            for (var k = 1; k <= writes; k++)
            {
                await storage.UpsertAsync(Index, Versioned(k));
                Volatile.Write(ref acked, k);
            }

            Volatile.Write(ref done, 1);
        });
        var readers = Enumerable.Range(0, searchers).Select(r => Task.Run(async () =>
        {
            float[][] queries = [[1, 0, 0, 0], [1, 0.5f, 0, 0]];
            for (var i = 0; Volatile.Read(ref done) == 0 || i < 4; i++)
            {
                var floor = Volatile.Read(ref acked);
                var result = await storage.SearchAsync(Index, queries[(i + r) % 2], new SearchOptions { TopK = 1 });
                var seen = (long)result.Matches[0].Metadata!["v"].AsNumber;
                if (seen < floor)
                {
                    lock (stale)
                    {
                        stale.Add((floor, seen));
                    }
                }

                // a cache hit completes synchronously: without this, searchers spinning until the writer is done hold
                // every pool thread, starving the writer and every other test in the process (a Redis call in
                // RedisSharedCacheTests waited past its 5 s timeout behind them)
                await Task.Yield();
            }
        })).ToArray();

        await Task.WhenAll([writer, .. readers]).WaitAsync(TimeSpan.FromMinutes(1));
        return (stale, storage.GetStatistics().Hits);
    }

    private static VectorRecord Versioned(long version) =>
        new(VectorId.Parse("x"), new float[] { 1, 0, 0, 0 }, Metadata.Create([new("v", MetadataValue.FromNumber(version))]));

    /// <summary>Answers searches and writes after a seeded number of yields, so they overlap in every order.</summary>
    private sealed class Jittery(IVectorStorage inner, int seed) : DelegatingVectorStorage(inner)
    {
        private readonly Random _random = new(seed);

        public override async ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default)
        {
            var result = await base.SearchAsync(index, vector, options, cancellationToken);
            await YieldAsync();
            return result;
        }

        public override async ValueTask UpsertAsync(IndexName index, VectorRecord record, Namespace ns = default, CancellationToken cancellationToken = default)
        {
            await YieldAsync();
            await base.UpsertAsync(index, record, ns, cancellationToken);
            await YieldAsync();
        }

        private async Task YieldAsync()
        {
            int yields;
            lock (_random)
            {
#pragma warning disable CA5394 // seeded schedule for a test, not security
                yields = _random.Next(4);
#pragma warning restore CA5394
            }

            for (var i = 0; i < yields; i++)
            {
                await Task.Yield();
            }
        }
    }
}
