using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Xunit;

namespace Theodore.Conformance;

/// <summary>Many callers at once: nothing is lost, nothing is torn, and searches keep working while writes go on.</summary>
public abstract class ConcurrencyConformance : ConformanceSuite
{
    private const int Writers = 4;
    private const int PerWriter = 40;

    [Fact]
    public async Task UpsertAsync_from_parallel_writers_while_searching_loses_no_record()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        using var writing = new CancellationTokenSource();
        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < PerWriter; i++)
            {
                await Storage.UpsertAsync(index, Record($"w{w}-{i:D3}", [w + 1, i], Meta(("writer", w))));
            }
        })).ToArray();
        var searchers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var searches = 0;
            while (!writing.IsCancellationRequested || searches == 0)
            {
                var result = await SearchAsync(index, [1, 1], new SearchOptions { TopK = 5 });
                Assert.Equal(result.Matches.Order(SearchResult.Order), result.Matches);
                searches++;
            }

            return searches;
        })).ToArray();

        await Task.WhenAll(writers);
        await writing.CancelAsync();
        var searchCounts = await Task.WhenAll(searchers);
        await SettleAsync(index);

        Assert.All(searchCounts, count => Assert.True(count > 0));
        Assert.Equal(Writers * PerWriter, (await Storage.DescribeIndexAsync(index)).VectorCount);
        for (var w = 0; w < Writers; w++)
        {
            for (var i = 0; i < PerWriter; i++)
            {
                var record = await Storage.GetAsync(index, Id($"w{w}-{i:D3}"));
                Assert.NotNull(record);
                AssertStoredValues([w + 1, i], record.Values, DistanceMetric.Euclidean);
            }
        }

        var all = await SearchAsync(index, [0, 0], new SearchOptions { TopK = Writers * PerWriter, Exact = Capabilities.SupportsExactSearch });
        Assert.Equal(Writers * PerWriter, all.Matches.Count);
    }

    [Fact]
    public async Task UpsertAsync_parallel_writes_to_one_id_leave_one_whole_record()
    {
        var index = await CreateIndexAsync(3, DistanceMetric.Euclidean);

        await Task.WhenAll(Enumerable.Range(1, 16).Select(n => Task.Run(async () =>
            await Storage.UpsertAsync(index, Record("contended", [n, n, n], Meta(("n", n)))))));
        await SettleAsync(index);

        var record = await Storage.GetAsync(index, Id("contended"));
        Assert.NotNull(record);
        var n = record.Values.Span[0];
        Assert.Equal([n, n, n], record.Values.ToArray());
        Assert.Equal(n, record.Metadata["n"].AsNumber);
        Assert.Equal(1, (await Storage.DescribeIndexAsync(index)).VectorCount);
    }

    [Fact]
    public async Task CreateIndexAsync_racing_for_one_name_exactly_one_wins()
    {
        var name = UniqueIndexName();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            try
            {
                await Storage.CreateIndexAsync(new IndexDefinition(name, 2, DistanceMetric.Cosine));
                return true;
            }
            catch (IndexAlreadyExistsException)
            {
                return false;
            }
        })));

        Assert.Single(outcomes, won => won);
    }
}
