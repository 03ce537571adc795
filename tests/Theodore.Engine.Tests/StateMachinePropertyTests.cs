using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Theodore.Engine.Tests;

/// <summary>
/// Random sequences of upserts, re-upserts and deletes (with compaction triggered often) against a
/// dictionary model: count, get, listing, value counts and exact search must all agree with it.
/// </summary>
public sealed class StateMachinePropertyTests
{
    [Fact]
    public void Index_randomWriteSequences_agreesWithDictionaryModel()
    {
        var cases =
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from steps in Gen.Choose(1, 200)
            from metric in Gen.Elements(DistanceMetric.Euclidean, DistanceMetric.Manhattan, DistanceMetric.DotProduct)
            select (seed, steps, metric);

        var property = Prop.ForAll(cases.ToArbitrary(), c => Check(c.seed, c.steps, c.metric));
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(150), property);
    }

    private static bool Check(int seed, int steps, DistanceMetric metric)
    {
        var random = new Random(seed);
        var index = new VectorIndex(new VectorIndexOptions
        {
            Dimension = 3,
            Metric = metric,
            M = 4,
            EfConstruction = 12,
            CompactionThreshold = 0.2,
            CompactionMinimumTombstones = 1,
        });
        var rows = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var groups = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int step = 0; step < steps; step++)
        {
            string key = "r" + random.Next(0, 30).ToString(CultureInfo.InvariantCulture);
            if (random.Next(4) == 0)
            {
                if (index.Delete(key) != rows.Remove(key))
                {
                    return false;
                }

                groups.Remove(key);
                continue;
            }

            float[] row = [random.Next(-4, 5), random.Next(-4, 5), random.Next(-4, 5)];
            string group = "g" + random.Next(0, 3).ToString(CultureInfo.InvariantCulture);
            index.Upsert(key, row, new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["group"] = group });
            rows[key] = row;
            groups[key] = group;
        }

        if (index.Count != rows.Count || !index.ListKeys(null, 1000).SequenceEqual(rows.Keys.Order(StringComparer.Ordinal), StringComparer.Ordinal))
        {
            return false;
        }

        foreach (var (key, row) in rows)
        {
            var record = index.Get(key);
            if (record is null || !record.Vector.ToArray().SequenceEqual(row) || record.Metadata["group"].AsString() != groups[key])
            {
                return false;
            }
        }

        var counts = index.GetMetadataValueCounts();
        foreach (var group in groups.Values.Distinct(StringComparer.Ordinal))
        {
            if (counts["group"][group] != groups.Values.Count(g => g == group))
            {
                return false;
            }
        }

        float[] query = [random.Next(-4, 5), random.Next(-4, 5), random.Next(-4, 5)];
        var filter = EngineFilter.Eq("group", "g1");
        var expected = TestData.BruteForce(metric, rows, query, 5, key => groups[key] == "g1");
        var exact = index.Search(query, 5, exact: true, filter: filter);
        var approximate = index.Search(query, 5, ef: 64, filter: filter);
        return exact.Select(h => h.Key).SequenceEqual(expected.Select(e => e.Key), StringComparer.Ordinal)
            && approximate.Length == expected.Count
            && approximate.All(h => groups[h.Key] == "g1");
    }
}
