using FsCheck;
using FsCheck.Fluent;

namespace Theodore.Engine.Tests;

public sealed class ExactSearchPropertyTests
{
    private static readonly string[] Colors = ["red", "green", "blue"];

    [Fact]
    public void ExactSearch_randomDataAndFilters_equalsBruteForce()
    {
        var cases =
            from n in Gen.Choose(1, 60)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from k in Gen.Choose(1, 12)
            from metric in Gen.Elements(DistanceMetric.Euclidean, DistanceMetric.DotProduct, DistanceMetric.Manhattan, DistanceMetric.Cosine)
            from filterKind in Gen.Choose(0, 5)
            select (n, seed, k, metric, filterKind);

        var property = Prop.ForAll(cases.ToArbitrary(), c => Check(c.n, c.seed, c.k, c.metric, c.filterKind));
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(400), property);
    }

    private static bool Check(int n, int seed, int k, DistanceMetric metric, int filterKind)
    {
        const int dim = 5;
        var random = new Random(seed);
        var index = new VectorIndex(new VectorIndexOptions { Dimension = dim, Metric = metric, M = 4, EfConstruction = 8 });
        var rows = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var meta = new Dictionary<string, Dictionary<string, EngineValue>>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            // Small integers: every metric except cosine is exact in float, and ties are common.
            var row = new float[dim];
            do
            {
                for (int d = 0; d < dim; d++)
                {
                    row[d] = random.Next(-3, 4);
                }
            }
            while (row.All(v => v == 0));

            string key = "r" + random.Next(0, 40).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var m = new Dictionary<string, EngineValue>(StringComparer.Ordinal)
            {
                ["color"] = Colors[random.Next(3)],
                ["size"] = (double)random.Next(0, 10),
            };
            if (random.Next(2) == 0)
            {
                m["tags"] = EngineValue.FromStringList([Colors[random.Next(3)], "x"]);
            }

            index.Upsert(key, row, m);
            rows[key] = row;
            meta[key] = m;
            if (random.Next(8) == 0)
            {
                index.Delete(key);
                rows.Remove(key);
                meta.Remove(key);
            }
        }

        var (filter, keep) = MakeFilter(filterKind, meta);
        var query = new float[dim];
        for (int d = 0; d < dim; d++)
        {
            query[d] = random.Next(-3, 4);
        }

        if (query.All(v => v == 0))
        {
            query[0] = 1;
        }

        var hits = index.Search(query, k, exact: true, filter: filter);
        var reference = TestData.BruteForce(metric, rows, query, k, keep);
        if (hits.Length != reference.Count)
        {
            return false;
        }

        for (int i = 0; i < hits.Length; i++)
        {
            if (Math.Abs(hits[i].Distance - reference[i].Distance) > 1e-4)
            {
                return false;
            }

            // Cosine rounding can swap near-ties; the other metrics must match key for key.
            if (metric != DistanceMetric.Cosine && !string.Equals(hits[i].Key, reference[i].Key, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    private static (EngineFilter? Filter, Func<string, bool>? Keep) MakeFilter(int kind, Dictionary<string, Dictionary<string, EngineValue>> meta) => kind switch
    {
        1 => (EngineFilter.Eq("color", "red"), k => meta[k]["color"] == "red"),
        2 => (EngineFilter.Gte("size", 5), k => meta[k]["size"].AsDouble() >= 5),
        3 => (EngineFilter.Or(EngineFilter.Eq("tags", "blue"), EngineFilter.Lt("size", 2)),
              k => (meta[k].TryGetValue("tags", out var t) && t.AsStringList().Contains("blue", StringComparer.Ordinal)) || meta[k]["size"].AsDouble() < 2),
        4 => (EngineFilter.And(EngineFilter.In("color", ["red", "green"]), EngineFilter.Not(EngineFilter.Exists("tags"))),
              k => meta[k]["color"] != "blue" && !meta[k].ContainsKey("tags")),
        5 => (EngineFilter.Ne("color", "green"), k => meta[k]["color"] != "green"),
        _ => (null, null),
    };
}
