using FsCheck;
using FsCheck.Fluent;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Native.Tests;

public sealed class FilteredSearchTests
{
    private const int Dimension = 8;

    [Fact]
    public async Task SearchAsync_approximate_with_random_filters_returns_only_matching_records()
    {
        // Sized past the exact-filter threshold so unselective filters walk the graph and selective ones scan.
        var storage = new NativeVectorStorage(new NativeOptions { ExactFilterThreshold = 200, Durability = Engine.Durability.DurabilityMode.None });
        var index = IndexName.Parse("filtered");
        await storage.CreateIndexAsync(new IndexDefinition(index, Dimension, DistanceMetric.Cosine));
        var random = new Random(21);
        var metadata = Gen.ArrayOf(Generators.Metadata, 1500).Sample(20, new Rnd(21UL), 1)[0];
        var records = metadata.Select((m, i) => new VectorRecord(VectorId.Parse($"f{i}"), TestVectors.Random(random, Dimension), m)).ToArray();
        await storage.GetRequiredService<IBatchVectorStorage>().UpsertManyAsync(index, records);
        var byId = records.ToDictionary(r => r.Id.Value, r => r.Metadata, StringComparer.Ordinal);

        var cases = Gen.Zip(Generators.Filter, Gen.Choose(0, int.MaxValue - 1));
        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(200),
            Prop.ForAll(cases.ToArbitrary(), c =>
            {
                var query = TestVectors.Random(new Random(c.Item2), Dimension);
                var result = storage.SearchAsync(index, query, new SearchOptions { TopK = 20, Filter = c.Item1 }).AsTask().GetAwaiter().GetResult();
                var expected = records.Count(r => FilterEvaluator.Matches(c.Item1, r.Metadata));
                return result.Matches.All(m => FilterEvaluator.Matches(c.Item1, byId[m.Id.Value]) && FilterEvaluator.Matches(c.Item1, m.Metadata!))
                    && result.Matches.Count == Math.Min(20, expected);
            }));
    }
}
