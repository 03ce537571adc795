using FsCheck;
using FsCheck.Fluent;
using Theodore.Adapters.Mock;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;

namespace Theodore.Adapters.Native.Tests;

public sealed class ExactSearchAgreesWithMockTests
{
    private const double Tolerance = 1e-4;

    [Fact]
    public void SearchAsync_exact_on_random_data_and_filters_equals_mock()
    {
        var cases =
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from count in Gen.Choose(1, 80)
            from metric in Gen.Elements(Enum.GetValues<DistanceMetric>())
            from topK in Gen.Choose(1, 15)
            from offset in Gen.Choose(0, 3)
            from filter in Gen.OneOf(Gen.Constant<FilterExpression?>(null), Generators.Filter.Select(static f => (FilterExpression?)f))
            from metadata in Gen.ArrayOf(Generators.Metadata, count)
            select (seed, metric, topK, offset, filter, metadata);

        Check.One(
            Config.QuickThrowOnFailure.WithMaxTest(150),
            Prop.ForAll(cases.ToArbitrary(), c => Agrees(c.seed, c.metric, c.topK, c.offset, c.filter, c.metadata)));
    }

    private static bool Agrees(int seed, DistanceMetric metric, int topK, int offset, FilterExpression? filter, Metadata[] metadata)
    {
        const int dimension = 6;
        var random = new Random(seed);
        var native = new NativeVectorStorage();
        var mock = new MockVectorStorage();
        var index = IndexName.Parse("agree");
        var definition = new IndexDefinition(index, dimension, metric);
        native.CreateIndexAsync(definition).AsTask().GetAwaiter().GetResult();
        mock.CreateIndexAsync(definition).AsTask().GetAwaiter().GetResult();
        for (var i = 0; i < metadata.Length; i++)
        {
            var record = new VectorRecord(VectorId.Parse($"r{i}"), TestVectors.Random(random, dimension), metadata[i]);
            native.UpsertAsync(index, record).AsTask().GetAwaiter().GetResult();
            mock.UpsertAsync(index, record).AsTask().GetAwaiter().GetResult();
        }

        var query = TestVectors.Random(random, dimension);
        var options = new SearchOptions { TopK = topK, Offset = offset, Filter = filter, Exact = true };
        var actual = native.SearchAsync(index, query, options).AsTask().GetAwaiter().GetResult();

        // The oracle looks a little further so a near-tie at the cut can be told from a wrong answer.
        var expected = mock.SearchAsync(index, query, options with { TopK = topK + 2 }).AsTask().GetAwaiter().GetResult().Matches;
        if (actual.Approximate || actual.Matches.Count != Math.Min(topK, expected.Count))
        {
            return false;
        }

        for (var i = 0; i < actual.Matches.Count; i++)
        {
            var got = actual.Matches[i];
            var want = expected[i];
            if (Math.Abs(got.Score - want.Score) > Tolerance)
            {
                return false;
            }

            if (got.Id != want.Id && !expected.Any(e => e.Id == got.Id && Math.Abs(e.Score - want.Score) <= Tolerance))
            {
                return false;
            }

            if (want.Distance is { } distance && (got.Distance is not { } d || Math.Abs(d - distance) > Tolerance * Math.Max(1, Math.Abs(distance))))
            {
                return false;
            }

            if (want.Distance is null != got.Distance is null)
            {
                return false;
            }
        }

        return true;
    }
}
