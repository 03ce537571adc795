namespace Theodore.Engine.Tests;

/// <summary>Seeded synthetic data and a brute-force reference that shares no code with the engine.</summary>
internal static class TestData
{
    public static float[][] Clustered(int count, int dimension, int clusters, int seed)
    {
        var random = new Random(seed);
        var centers = new float[clusters][];
        for (int c = 0; c < clusters; c++)
        {
            centers[c] = Gaussian(random, dimension, 1.0);
        }

        var rows = new float[count][];
        for (int i = 0; i < count; i++)
        {
            var center = centers[random.Next(clusters)];
            var noise = Gaussian(random, dimension, 0.35);
            var row = new float[dimension];
            for (int d = 0; d < dimension; d++)
            {
                row[d] = center[d] + noise[d];
            }

            rows[i] = row;
        }

        return rows;
    }

    public static float[] Gaussian(Random random, int dimension, double scale)
    {
        var row = new float[dimension];
        for (int d = 0; d < dimension; d++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            row[d] = (float)(scale * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return row;
    }

    public static string Key(int i) => "k" + i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The distance the engine documents for <see cref="SearchHit.Distance"/>, in double precision.</summary>
    public static double Distance(DistanceMetric metric, float[] a, float[] b)
    {
        double dot = 0, l2 = 0, l1 = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            l2 += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
            l1 += Math.Abs((double)a[i] - b[i]);
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return metric switch
        {
            DistanceMetric.Cosine => 1 - (dot / Math.Sqrt(na * nb)),
            DistanceMetric.Euclidean => Math.Sqrt(l2),
            DistanceMetric.DotProduct => -dot,
            _ => l1,
        };
    }

    /// <summary>Keys of the k nearest rows passing the predicate, by (distance, key ordinal).</summary>
    public static List<(string Key, double Distance)> BruteForce(
        DistanceMetric metric, IReadOnlyDictionary<string, float[]> rows, float[] query, int k, Func<string, bool>? keep = null)
    {
        var all = new List<(string Key, double Distance)>();
        foreach (var (key, row) in rows)
        {
            if (keep is null || keep(key))
            {
                all.Add((key, Distance(metric, query, row)));
            }
        }

        all.Sort((x, y) => x.Distance != y.Distance ? x.Distance.CompareTo(y.Distance) : string.CompareOrdinal(x.Key, y.Key));
        return all.GetRange(0, Math.Min(k, all.Count));
    }

    public static VectorIndex Build(
        DistanceMetric metric, float[][] rows, int m = 16, int efConstruction = 100, Func<int, IReadOnlyDictionary<string, EngineValue>?>? metadata = null,
        VectorQuantization quantization = VectorQuantization.None, int? rerankFactor = null, int threads = 0)
    {
        var options = new VectorIndexOptions { Dimension = rows[0].Length, Metric = metric, M = m, EfConstruction = efConstruction, Quantization = quantization };
        var index = new VectorIndex(rerankFactor is { } factor ? options with { RerankFactor = factor } : options);
        var records = new EngineRecord[rows.Length];
        for (int i = 0; i < rows.Length; i++)
        {
            records[i] = new EngineRecord(Key(i), rows[i], metadata?.Invoke(i) ?? new Dictionary<string, EngineValue>(StringComparer.Ordinal));
        }

        index.UpsertMany(records, threads);
        return index;
    }

    public static double Recall(SearchHit[] found, SearchHit[] truth)
    {
        var expected = truth.Select(h => h.Key).ToHashSet(StringComparer.Ordinal);
        return found.Count(h => expected.Contains(h.Key)) / (double)Math.Max(1, truth.Length);
    }
}
