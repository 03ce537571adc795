using System.Globalization;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;
using Xunit.Abstractions;

namespace Theodore.Fidelity.Tests;

/// <summary>
/// One dataset and one query set on every backend: the same top-10 ids in the same order, and scores within 1e-4 of
/// the exact reference. Two matches may trade places only where the reference itself scores them within 1e-4 of each
/// other (a tie at float precision, which no backend is obliged to break the same way); the test reports how many
/// positions needed that allowance.
/// </summary>
public sealed class FidelityTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    private static readonly Dictionary<DistanceMetric, Task<IReadOnlyList<SearchResult>>> References = [];

    public static TheoryData<string, DistanceMetric> Cases()
    {
        var cases = new TheoryData<string, DistanceMetric>();
        foreach (var backend in FidelityBackends.Compared)
        {
            foreach (var metric in Enum.GetValues<DistanceMetric>())
            {
                cases.Add(backend.Name, metric);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Backend_returns_the_reference_top_ids_in_order_with_scores_within_1e4(string backendName, DistanceMetric metric)
    {
        var backend = FidelityBackends.Get(backendName);
        var storage = await backend.CreateAsync();
        try
        {
            if (!storage.Capabilities.Metrics.Contains(metric))
            {
                // a gap is declared and refused, never answered with another metric's numbers
                await Assert.ThrowsAsync<UnsupportedOperationException>(async () => await LoadAsync(storage, metric));
                output.WriteLine($"{backendName} does not offer {metric}: refused as declared");
                return;
            }

            var reference = await ReferenceAsync(metric);
            var index = await LoadAsync(storage, metric);
            var compared = 0;
            var tieSwaps = 0;
            foreach (var query in FidelityDataset.Instance.Queries)
            {
                var actual = await storage.SearchAsync(index, query.Vector, Options(query, FidelityDataset.TopK));
                var swaps = AssertSame(reference[query.Number], actual, $"{backendName} {metric} {query}");
                compared += actual.Matches.Count;
                tieSwaps += swaps;
            }

            output.WriteLine($"{backendName} {metric}: {compared} positions over {FidelityDataset.QueryCount} queries, {tieSwaps} swapped within a reference tie");
            Assert.Equal(FidelityDataset.QueryCount * FidelityDataset.TopK, compared);
        }
        finally
        {
            await backend.ReleaseAsync(storage);
        }
    }

    [Fact]
    public void Dataset_has_the_size_the_criterion_asks_for()
    {
        Assert.True(FidelityDataset.Instance.Records.Count >= 500);
        Assert.True(FidelityDataset.Instance.Queries.Count >= 30);
        Assert.Contains(FidelityDataset.Instance.Queries, q => q.Filter is null);
        Assert.Contains(FidelityDataset.Instance.Queries, q => q.Filter is not null);
    }

    /// <summary>Returns how many positions differ from the reference within a reference tie; fails on anything else.</summary>
    private static int AssertSame(SearchResult reference, SearchResult actual, string what)
    {
        // the reference asks for one more match, so a tie across the cut-off is recognised too
        var expected = reference.Matches.Take(FidelityDataset.TopK).ToArray();
        Assert.True(expected.Length == actual.Matches.Count, $"{what}: expected {expected.Length} matches, got {actual.Matches.Count}");
        var referenceScores = reference.Matches.ToDictionary(m => m.Id, m => (double)m.Score);
        var swaps = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            var match = actual.Matches[i];
            Assert.True(referenceScores.TryGetValue(match.Id, out var referenceScore), $"{what}: position {i} is {match.Id}, which is not among the reference's top {reference.Matches.Count}");
            Assert.True(Close(referenceScore, match.Score), $"{what}: {match.Id} scored {Format(match.Score)}, the reference {Format(referenceScore)}");
            if (match.Id != expected[i].Id)
            {
                Assert.True(Close(expected[i].Score, referenceScore), $"{what}: position {i} is {match.Id} ({Format(referenceScore)}), the reference has {expected[i].Id} ({Format(expected[i].Score)}) there");
                swaps++;
            }
        }

        Assert.Equal(expected.Length, actual.Matches.Select(m => m.Id).Distinct().Count());
        return swaps;
    }

    private static bool Close(double expected, double actual) => Math.Abs(expected - actual) <= Tolerance * Math.Max(1, Math.Abs(expected));

    private static string Format(double score) => score.ToString("R", CultureInfo.InvariantCulture);

    private static SearchOptions Options(FidelityQuery query, int topK) => new()
    {
        TopK = topK,
        Filter = query.Filter,
        IncludeMetadata = false,
        // wide enough that the HNSW backends visit the whole 600-record graph: this test is about meaning, not recall
        Ef = 600,
    };

    private static Task<IReadOnlyList<SearchResult>> ReferenceAsync(DistanceMetric metric)
    {
        lock (References)
        {
            if (!References.TryGetValue(metric, out var task))
            {
                task = ComputeReferenceAsync(metric);
                References[metric] = task;
            }

            return task;
        }
    }

    private static async Task<IReadOnlyList<SearchResult>> ComputeReferenceAsync(DistanceMetric metric)
    {
        var storage = await FidelityBackends.Reference.CreateAsync();
        try
        {
            var index = await LoadAsync(storage, metric);
            var results = new List<SearchResult>();
            foreach (var query in FidelityDataset.Instance.Queries)
            {
                results.Add(await storage.SearchAsync(index, query.Vector, Options(query, FidelityDataset.TopK + 1)));
            }

            return results;
        }
        finally
        {
            await FidelityBackends.Reference.ReleaseAsync(storage);
        }
    }

    private static async Task<IndexName> LoadAsync(IVectorStorage storage, DistanceMetric metric)
    {
        if (storage.GetService<IOpenableVectorStorage>() is { IsOpen: false } openable)
        {
            await openable.OpenAsync();
        }

        var index = IndexName.Parse($"fidelity-{metric.ToString().ToLowerInvariant()}-{Guid.NewGuid():N}"[..40]);
        await storage.CreateIndexAsync(new IndexDefinition(index, FidelityDataset.Dimension, metric));
        var result = await storage.GetRequiredService<IBatchVectorStorage>().UpsertManyAsync(index, FidelityDataset.Instance.Records);
        Assert.True(result.IsComplete, $"loading failed: {string.Join("; ", result.Errors.Take(3))}");
        return index;
    }
}
