namespace Theodore.Engine.Tests;

public sealed class FilterTests
{
    private static readonly string[] Industries = ["fintech", "health", "retail", "energy", "media"];

    private static Dictionary<string, EngineValue> Meta(int i)
    {
        var m = new Dictionary<string, EngineValue>(StringComparer.Ordinal)
        {
            ["industry"] = Industries[i % Industries.Length],
            ["founded"] = 1990.0 + (i % 35),
            ["public"] = i % 2 == 0,
            ["name"] = "company-" + (i % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture),
        };
        if (i % 3 == 0)
        {
            m["tags"] = EngineValue.FromStringList(["b2b", i % 6 == 0 ? "saas" : "hardware"]);
        }

        if (i % 100 == 7)
        {
            m["rare"] = "yes";
        }

        return m;
    }

    public static TheoryData<string> Filters() => new() { "eq", "ne", "gt", "gte", "lt", "lte", "in", "not_in", "contains", "starts_with", "ends_with", "exists", "and", "or", "not", "rare", "list", "none" };

    private static EngineFilter Make(string name) => name switch
    {
        "eq" => EngineFilter.Eq("industry", "health"),
        "ne" => EngineFilter.Ne("industry", "health"),
        "gt" => EngineFilter.Gt("founded", 2015),
        "gte" => EngineFilter.Gte("founded", 2015),
        "lt" => EngineFilter.Lt("founded", 1995),
        "lte" => EngineFilter.Lte("founded", 1995),
        "in" => EngineFilter.In("industry", ["retail", "media"]),
        "not_in" => EngineFilter.NotIn("industry", ["retail", "media"]),
        "contains" => EngineFilter.Contains("name", "y-4"),
        "starts_with" => EngineFilter.StartsWith("name", "company-1"),
        "ends_with" => EngineFilter.EndsWith("name", "7"),
        "exists" => EngineFilter.Exists("tags"),
        "and" => EngineFilter.And(EngineFilter.Eq("industry", "fintech"), EngineFilter.Eq("public", true)),
        "or" => EngineFilter.Or(EngineFilter.Eq("industry", "energy"), EngineFilter.Gte("founded", 2020)),
        "not" => EngineFilter.Not(EngineFilter.Exists("tags")),
        "rare" => EngineFilter.Eq("rare", "yes"),
        "none" => EngineFilter.Predicate(_ => true, 1.0),
        _ => EngineFilter.Eq("tags", "saas"),
    };

    private static bool Expected(string name, Dictionary<string, EngineValue> m) => name switch
    {
        "eq" => m["industry"] == "health",
        "ne" => m["industry"] != "health",
        "gt" => m["founded"].AsDouble() > 2015,
        "gte" => m["founded"].AsDouble() >= 2015,
        "lt" => m["founded"].AsDouble() < 1995,
        "lte" => m["founded"].AsDouble() <= 1995,
        "in" => m["industry"] == "retail" || m["industry"] == "media",
        "not_in" => !(m["industry"] == "retail" || m["industry"] == "media"),
        "contains" => m["name"].AsString().Contains("y-4", StringComparison.Ordinal),
        "starts_with" => m["name"].AsString().StartsWith("company-1", StringComparison.Ordinal),
        "ends_with" => m["name"].AsString().EndsWith('7'),
        "exists" => m.ContainsKey("tags"),
        "and" => m["industry"] == "fintech" && m["public"].AsBoolean(),
        "or" => m["industry"] == "energy" || m["founded"].AsDouble() >= 2020,
        "not" => !m.ContainsKey("tags"),
        "rare" => m.ContainsKey("rare"),
        "none" => true,
        _ => m.TryGetValue("tags", out var t) && t.AsStringList().Contains("saas", StringComparer.Ordinal),
    };

    private static readonly Lazy<(VectorIndex Index, float[][] Rows)> Shared = new(() =>
    {
        var rows = TestData.Clustered(4000, 16, 20, seed: 21);
        return (TestData.Build(DistanceMetric.Euclidean, rows, metadata: Meta), rows);
    });

    [Theory]
    [MemberData(nameof(Filters))]
    public void Search_withFilter_everyHitSatisfiesItAndRecallIsHigh(string name)
    {
        var (index, rows) = Shared.Value;
        var filter = Make(name);
        double recall = 0;
        var queries = TestData.Clustered(40, 16, 20, seed: 22);
        foreach (var query in queries)
        {
            var hits = index.Search(query, 10, ef: 128, filter: filter);
            Assert.All(hits, h => Assert.True(Expected(name, Meta(int.Parse(h.Key.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture))), h.Key));
            var truth = index.Search(query, 10, exact: true, filter: filter);
            Assert.All(truth, h => Assert.True(Expected(name, Meta(int.Parse(h.Key.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture)))));
            int matching = Enumerable.Range(0, rows.Length).Count(i => Expected(name, Meta(i)));
            Assert.Equal(Math.Min(10, matching), truth.Length);
            recall += TestData.Recall(hits, truth);
        }

        Assert.True(recall / queries.Length >= 0.95, $"filtered recall {recall / queries.Length:F3} for {name}");
    }

    [Fact]
    public void Search_selectiveFilterThroughGraph_stillHonoursFilter()
    {
        // Threshold 0 forces the graph path even for a 1% filter.
        var rows = TestData.Clustered(3000, 12, 10, seed: 23);
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 12, Metric = DistanceMetric.Cosine, ExactFilterThreshold = 0 });
        index.UpsertMany(rows.Select((r, i) => new EngineRecord(TestData.Key(i), r, Meta(i))).ToArray());
        var filter = EngineFilter.Eq("rare", "yes");

        foreach (var query in rows.Take(20))
        {
            var hits = index.Search(query, 10, ef: 40, filter: filter);
            var truth = index.Search(query, 10, exact: true, filter: filter);
            Assert.Equal(10, hits.Length);
            Assert.All(hits, h => Assert.Equal(7, int.Parse(h.Key.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture) % 100));
            Assert.True(TestData.Recall(hits, truth) >= 0.8);
        }
    }

    [Fact]
    public void Search_rangeOnHighCardinalityField_matchesBruteForce()
    {
        // 5,000 distinct prices: too many to list from the postings, so the planner scans.
        var rows = TestData.Clustered(5000, 8, 10, seed: 24);
        var index = TestData.Build(DistanceMetric.Euclidean, rows, efConstruction: 32,
            metadata: i => new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["price"] = i * 1.5 });
        var byKey = rows.Select((r, i) => (TestData.Key(i), r)).ToDictionary(p => p.Item1, p => p.r, StringComparer.Ordinal);

        foreach (var (filter, limit) in new[] { (EngineFilter.Lt("price", 75), 50), (EngineFilter.Gte("price", 1500), 4000) })
        {
            var hits = index.Search(rows[3], 10, filter: filter);
            var reference = TestData.BruteForce(DistanceMetric.Euclidean, byKey, rows[3], 10,
                k => int.Parse(k.AsSpan(1), provider: System.Globalization.CultureInfo.InvariantCulture) is var i && (limit == 50 ? i < 50 : i >= 1000));
            Assert.All(hits, h => Assert.True(filter.Evaluate(index.Get(h.Key)!.Metadata)));
            Assert.True(TestData.Recall(hits, reference.Select(r => new SearchHit(r.Key, (float)r.Distance)).ToArray()) >= 0.9);
        }
    }

    [Fact]
    public void GetMetadataValueCounts_countsLiveRecordsPerValue()
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 2, Metric = DistanceMetric.Euclidean });
        index.Upsert("a", [1, 0], new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["c"] = "x", ["t"] = EngineValue.FromStringList(["p", "q"]) });
        index.Upsert("b", [0, 1], new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["c"] = "x" });
        index.Upsert("c", [1, 1], new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["c"] = "y" });
        index.Delete("c");

        var counts = index.GetMetadataValueCounts();

        Assert.Equal(2, counts["c"]["x"]);
        Assert.False(counts["c"].ContainsKey("y"));
        Assert.Equal(1, counts["t"]["q"]);
    }

    [Fact]
    public void Evaluate_missingField_onlyNegationsMatch()
    {
        var empty = new Dictionary<string, EngineValue>(StringComparer.Ordinal);
        Assert.False(EngineFilter.Eq("f", 1).Evaluate(empty));
        Assert.False(EngineFilter.Gt("f", 1).Evaluate(empty));
        Assert.True(EngineFilter.Ne("f", 1).Evaluate(empty));
        Assert.True(EngineFilter.NotIn("f", ["a"]).Evaluate(empty));
        Assert.False(EngineFilter.Gt("f", "a").Evaluate(new Dictionary<string, EngineValue>(StringComparer.Ordinal) { ["f"] = 5 }));
    }
}
