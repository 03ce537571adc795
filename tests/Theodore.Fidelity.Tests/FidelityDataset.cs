using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;

namespace Theodore.Fidelity.Tests;

/// <summary>
/// The shared dataset: 600 records of 24 dimensions with metadata, and 30 queries, half of them filtered. Seeded, so
/// every backend and every run sees the same numbers. The filters use only what every backend can express.
/// </summary>
public sealed class FidelityDataset
{
    public const int Dimension = 24;
    public const int RecordCount = 600;
    public const int QueryCount = 30;
    public const int TopK = 10;

    private static readonly string[] Sectors = ["fintech", "insurtech", "health", "logistics", "energy"];
    private static readonly string[] Countries = ["DE", "FR", "US", "GB", "SE", "NL"];

    private FidelityDataset(IReadOnlyList<VectorRecord> records, IReadOnlyList<FidelityQuery> queries)
    {
        Records = records;
        Queries = queries;
    }

    public static FidelityDataset Instance { get; } = Create(seed: 20261205);

    public IReadOnlyList<VectorRecord> Records { get; }

    public IReadOnlyList<FidelityQuery> Queries { get; }

    private static FidelityDataset Create(int seed)
    {
        var random = new Random(seed);
        var records = new VectorRecord[RecordCount];
        for (var i = 0; i < RecordCount; i++)
        {
            var metadata = Metadata.Create(
            [
                new("sector", Sectors[random.Next(Sectors.Length)]),
                new("country", Countries[random.Next(Countries.Length)]),
                new("founded", (double)random.Next(1990, 2025)),
                new("public", random.Next(4) == 0),
            ]);
            records[i] = new VectorRecord(VectorId.Parse($"company-{i:D4}"), RandomVector(random), metadata);
        }

        FilterExpression?[] filters =
        [
            Filter.Eq("sector", "fintech"),
            Filter.And(Filter.Gte("founded", 2005), Filter.Lt("founded", 2018)),
            Filter.In("country", "DE", "FR", "NL"),
            Filter.Or(Filter.Eq("public", true), Filter.Gt("founded", 2020)),
            Filter.And(Filter.Ne("sector", "energy"), Filter.NotIn("country", "US", "GB"), Filter.Lte("founded", 2010)),
        ];

        var queries = new FidelityQuery[QueryCount];
        for (var q = 0; q < QueryCount; q++)
        {
            // even queries are unfiltered; odd ones cycle through the filters
            var filter = q % 2 == 0 ? null : filters[(q / 2) % filters.Length];
            queries[q] = new FidelityQuery(q, RandomVector(random), filter);
        }

        return new FidelityDataset(records, queries);
    }

    private static float[] RandomVector(Random random)
    {
        var values = new float[Dimension];
        for (var d = 0; d < Dimension; d++)
        {
            // uniform in [-1, 1): not normalized, so the dot product and the distances differ from cosine
            values[d] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}

/// <summary>One query of the shared set.</summary>
public sealed record FidelityQuery(int Number, float[] Vector, FilterExpression? Filter)
{
    public override string ToString() => $"query {Number}{(Filter is null ? string.Empty : " (filtered)")}";
}
