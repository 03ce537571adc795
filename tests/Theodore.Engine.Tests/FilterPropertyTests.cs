using System.Globalization;
using FsCheck;
using FsCheck.Fluent;

namespace Theodore.Engine.Tests;

/// <summary>
/// Random filter trees over random metadata, checked against a reference evaluator written here
/// from the documented semantics (not from the engine's code), through every planner path.
/// </summary>
public sealed class FilterPropertyTests
{
    private static readonly string[] Fields = ["color", "size", "flag", "tags", "name", "missing"];
    private static readonly string[] Texts = ["red", "green", "ab", "abc", "alpha", "alphabet", "beta", "a", "b", "t"];

    [Fact]
    public void Search_existsOnEmptyList_findsTheRecord()
    {
        // Found by the property below: an empty list holds the field but has no posting.
        Assert.True(Check(1256532954, 5, 2));
    }

    [Fact]
    public void Search_randomFilterTrees_matchReferenceSemanticsOnEveryPath()
    {
        var cases =
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from n in Gen.Choose(1, 80)
            from path in Gen.Choose(0, 2)
            select (seed, n, path);

        var property = Prop.ForAll(cases.ToArbitrary(), c => Check(c.seed, c.n, c.path));
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(300), property);
    }

    private static bool Check(int seed, int n, int path)
    {
        var random = new Random(seed);
        var index = new VectorIndex(new VectorIndexOptions
        {
            Dimension = 4,
            Metric = DistanceMetric.Euclidean,
            M = 4,
            EfConstruction = 16,
            ExactFilterThreshold = path == 0 ? 2048 : 0,
        });
        var rows = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var meta = new Dictionary<string, Dictionary<string, EngineValue>>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            string key = "k" + i.ToString(CultureInfo.InvariantCulture);
            var row = new[] { (float)random.Next(-5, 6), random.Next(-5, 6), random.Next(-5, 6), random.Next(-5, 6) };
            var m = RandomMetadata(random);
            index.Upsert(key, row, m);
            rows[key] = row;
            meta[key] = m;
        }

        var (filter, reference) = RandomFilter(random, 3);
        foreach (var (key, m) in meta)
        {
            if (filter.Evaluate(m) != reference(m))
            {
                return false;
            }
        }

        float[] query = [random.Next(-5, 6), random.Next(-5, 6), random.Next(-5, 6), random.Next(-5, 6)];
        int k = random.Next(1, 15);
        var expected = TestData.BruteForce(DistanceMetric.Euclidean, rows, query, k, key => reference(meta[key]));
        var hits = index.Search(query, k, ef: path == 2 ? 200 : 16, exact: path == 0 && random.Next(2) == 0, filter: filter);
        if (hits.Length != expected.Count || hits.Any(h => !reference(meta[h.Key])))
        {
            return false;
        }

        var exact = index.Search(query, k, exact: true, filter: filter);
        return exact.Select(h => h.Key).SequenceEqual(expected.Select(e => e.Key), StringComparer.Ordinal);
    }

    private static Dictionary<string, EngineValue> RandomMetadata(Random random)
    {
        var m = new Dictionary<string, EngineValue>(StringComparer.Ordinal);
        if (random.Next(5) > 0)
        {
            m["color"] = Texts[random.Next(4)];
        }

        if (random.Next(5) > 0)
        {
            m["size"] = (double)random.Next(0, 10);
        }

        if (random.Next(3) > 0)
        {
            m["flag"] = random.Next(2) == 0;
        }

        if (random.Next(3) > 0)
        {
            m["tags"] = EngineValue.FromStringList(Enumerable.Range(0, random.Next(0, 4)).Select(_ => Texts[random.Next(Texts.Length)]));
        }

        if (random.Next(4) > 0)
        {
            m["name"] = Texts[random.Next(4, Texts.Length)];
        }

        return m;
    }

    private static EngineValue RandomValue(Random random) => random.Next(4) switch
    {
        0 => (double)random.Next(-1, 11),
        1 => random.Next(2) == 0,
        _ => Texts[random.Next(Texts.Length)],
    };

    private static (EngineFilter Filter, Func<Dictionary<string, EngineValue>, bool> Reference) RandomFilter(Random random, int depth)
    {
        int op = random.Next(depth > 0 ? 15 : 12);
        string field = Fields[random.Next(Fields.Length)];
        var value = RandomValue(random);
        string text = Texts[random.Next(Texts.Length)];
        switch (op)
        {
            case 0:
                return (EngineFilter.Eq(field, value), m => Eq(m, field, value));
            case 1:
                return (EngineFilter.Ne(field, value), m => !Eq(m, field, value));
            case 2:
                return (EngineFilter.Gt(field, value), m => Compare(m, field, value, c => c > 0));
            case 3:
                return (EngineFilter.Gte(field, value), m => Compare(m, field, value, c => c >= 0));
            case 4:
                return (EngineFilter.Lt(field, value), m => Compare(m, field, value, c => c < 0));
            case 5:
                return (EngineFilter.Lte(field, value), m => Compare(m, field, value, c => c <= 0));
            case 6:
            case 7:
                var values = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomValue(random)).ToArray();
                return op == 6
                    ? (EngineFilter.In(field, values), m => values.Any(v => Eq(m, field, v)))
                    : (EngineFilter.NotIn(field, values), m => !values.Any(v => Eq(m, field, v)));
            case 8:
                return (EngineFilter.Contains(field, text), m => m.TryGetValue(field, out var s) &&
                    (s.Kind == EngineValueKind.Text ? s.AsString().Contains(text, StringComparison.Ordinal)
                    : s.Kind == EngineValueKind.TextList && s.AsStringList().Contains(text, StringComparer.Ordinal)));
            case 9:
                return (EngineFilter.StartsWith(field, text), m => Strings(m, field).Any(s => s.StartsWith(text, StringComparison.Ordinal)));
            case 10:
                return (EngineFilter.EndsWith(field, text), m => Strings(m, field).Any(s => s.EndsWith(text, StringComparison.Ordinal)));
            case 11:
                return (EngineFilter.Exists(field), m => m.ContainsKey(field));
            case 12:
            case 13:
                var children = Enumerable.Range(0, random.Next(1, 4)).Select(_ => RandomFilter(random, depth - 1)).ToArray();
                return op == 12
                    ? (EngineFilter.And(children.Select(c => c.Filter)), m => children.All(c => c.Reference(m)))
                    : (EngineFilter.Or(children.Select(c => c.Filter)), m => children.Any(c => c.Reference(m)));
            default:
                var inner = RandomFilter(random, depth - 1);
                return (EngineFilter.Not(inner.Filter), m => !inner.Reference(m));
        }
    }

    private static IEnumerable<string> Strings(Dictionary<string, EngineValue> m, string field) =>
        !m.TryGetValue(field, out var s) ? []
        : s.Kind == EngineValueKind.Text ? [s.AsString()]
        : s.Kind == EngineValueKind.TextList ? s.AsStringList()
        : [];

    private static bool Eq(Dictionary<string, EngineValue> m, string field, EngineValue value)
    {
        if (!m.TryGetValue(field, out var stored))
        {
            return false;
        }

        return stored.Kind == EngineValueKind.TextList
            ? value.Kind == EngineValueKind.Text && stored.AsStringList().Contains(value.AsString(), StringComparer.Ordinal)
            : stored == value;
    }

    private static bool Compare(Dictionary<string, EngineValue> m, string field, EngineValue value, Func<int, bool> accept)
    {
        if (!m.TryGetValue(field, out var stored))
        {
            return false;
        }

        if (value.Kind == EngineValueKind.Number)
        {
            return stored.Kind == EngineValueKind.Number && accept(stored.AsDouble().CompareTo(value.AsDouble()));
        }

        return value.Kind == EngineValueKind.Text && Strings(m, field).Any(s => accept(string.CompareOrdinal(s, value.AsString())));
    }
}
