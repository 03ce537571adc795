using FsCheck;
using FsCheck.Fluent;
using Theodore.Engine.Distances;
using Theodore.Engine.Graph;

namespace Theodore.Engine.Tests;

/// <summary>The 8-bit codes a build walks on: the integer kernel, the error of the estimates, and where codes are used.</summary>
public sealed unsafe class ScalarCodeTests
{
    [Theory]
    [InlineData(64)]
    [InlineData(128)]
    [InlineData(448)]
    public void DotBytes_extremeAndRandomBytes_matchesScalarSum(int length)
    {
        var random = new Random(length);
        var a = new byte[length];
        var b = new byte[length];
        random.NextBytes(a);
        random.NextBytes(b);
        a[0] = b[0] = 255;
        a[^1] = b[^1] = 255;
        long expected = 0;
        for (int i = 0; i < length; i++)
        {
            expected += a[i] * b[i];
        }

        fixed (byte* pa = a, pb = b)
        {
            Assert.Equal(expected, ScalarCodes.DotBytes(pa, pb, length, a.Sum(x => x)));
        }

        Array.Fill(a, (byte)255);
        Array.Fill(b, (byte)255);
        fixed (byte* pa = a, pb = b)
        {
            Assert.Equal(255L * 255 * length, ScalarCodes.DotBytes(pa, pb, length, 255 * length));
        }

        // Zero against full bytes, both ways round: the signed shift must cancel exactly.
        Array.Fill(b, (byte)0);
        fixed (byte* pa = a, pb = b)
        {
            Assert.Equal(0, ScalarCodes.DotBytes(pa, pb, length, 255 * length));
            Assert.Equal(0, ScalarCodes.DotBytes(pb, pa, length, 0));
        }
    }

    [Fact]
    public void Estimates_randomVectors_stayWithinTheRoundingBound()
    {
        // Each component is off by at most half its vector's step, so the estimated L2 distance is off by at most
        // sqrt(d) * (step a + step b) / 2, and the dot product by the matching first-order bound.
        var cases =
            from dimension in Gen.Choose(1, 300)
            from seed in Gen.Choose(0, int.MaxValue - 1)
            from shape in Gen.Choose(0, 3)
            select (dimension, seed, shape);

        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(500), Prop.ForAll(cases.ToArbitrary(), c => WithinBound(c.dimension, c.seed, c.shape)));
    }

    [Fact]
    public void Encode_constantVector_isExact()
    {
        var vector = Enumerable.Repeat(0.25f, 70).ToArray();
        var code = new byte[ScalarCodes.Stride(vector.Length)];
        fixed (byte* c = code)
        {
            var terms = ScalarCodes.Encode(vector, c);
            Assert.Equal(0f, terms.Scale);
            Assert.Equal(0f, ScalarCodes.SquaredL2(terms, terms, ScalarCodes.DotBytes(c, c, code.Length, (int)terms.Sum), vector.Length));
            Assert.Equal(70 * 0.25f * 0.25f, ScalarCodes.Dot(terms, terms, ScalarCodes.DotBytes(c, c, code.Length, (int)terms.Sum), vector.Length), 1e-5f);
        }
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine, true)]
    [InlineData(DistanceMetric.Euclidean, true)]
    [InlineData(DistanceMetric.DotProduct, true)]
    [InlineData(DistanceMetric.Manhattan, false)]
    public void State_keepsCodesForMetricsWithAnIntegerForm(DistanceMetric metric, bool coded)
    {
        var st = new IndexState(new VectorIndexOptions { Dimension = 128, Metric = metric }, seed: 1);
        Assert.Equal(coded && ScalarCodes.Pay(128), st.HasCodes);
        Assert.False(new IndexState(new VectorIndexOptions { Dimension = 32, Metric = metric }, seed: 1).HasCodes);
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine)]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.DotProduct)]
    public void Search_graphBuiltOnCodes_recallMatchesAGraphBuiltOnFloats(DistanceMetric metric)
    {
        var rows = TestData.Clustered(3000, 128, 30, seed: 40 + (int)metric);
        var queries = TestData.Clustered(100, 128, 30, seed: 140 + (int)metric);
        var onCodes = Build(metric, rows, codes: true);
        var onFloats = Build(metric, rows, codes: false);
        Assert.Equal(ScalarCodes.Pay(128), onCodes.BuildsOnCodes);
        Assert.False(onFloats.BuildsOnCodes);

        // Inner product is not a metric: hubs with large norms make the walk need a wider beam.
        int ef = metric == DistanceMetric.DotProduct ? 256 : 64;
        double coded = Recall(onCodes, queries, ef);
        double exact = Recall(onFloats, queries, ef);
        Assert.True(coded >= exact - 0.02 && coded >= 0.85, $"recall@10 {coded:F3} on codes, {exact:F3} on floats for {metric}");
    }

    [Fact]
    public void Codes_afterABulkBuild_areReleasedAndMemoryIsTheFloatBuilds()
    {
        var rows = TestData.Clustered(2000, 128, 20, seed: 5);
        var onCodes = Build(DistanceMetric.Euclidean, rows, codes: true);
        var onFloats = Build(DistanceMetric.Euclidean, rows, codes: false);

        Assert.Equal(0, onCodes.CodeBytes);
        Assert.Equal(onFloats.MemoryBytes, onCodes.MemoryBytes);
        Assert.Equal(ScalarCodes.Pay(128) ? 1 : 0, onCodes.CurrentState.CodeBuilds);
    }

    [Fact]
    public void Codes_aFewWritesAfterABuild_areBuiltAgainKeptAndDroppedBySnapshot()
    {
        if (!ScalarCodes.Pay(128))
        {
            return; // no vectorized byte kernel (e.g. DOTNET_EnableHWIntrinsic=0): builds walk on floats, no codes exist
        }

        var rows = TestData.Clustered(1200, 128, 20, seed: 6);
        var index = Build(DistanceMetric.Cosine, rows[..1000], codes: true);
        var onFloats = Build(DistanceMetric.Cosine, rows[..1000], codes: false);
        for (int i = 1000; i < 1200; i++)
        {
            index.Upsert(TestData.Key(i), rows[i]);
            onFloats.Upsert(TestData.Key(i), rows[i]);
        }

        // 200 links on codes against 1,200 slots: not yet worth dropping, so the codes stay while writes go on,
        // and the memory accounting shows them.
        Assert.True(index.CodeBytes >= 1200L * 128, $"codes {index.CodeBytes}");
        Assert.Equal(2, index.CurrentState.CodeBuilds);
        Assert.Equal(onFloats.GetMemoryUsage().VectorBytes + index.CodeBytes, index.GetMemoryUsage().VectorBytes);

        var loaded = Snapshots.SnapshotFiles.RoundTrip(index);
        Assert.Equal(0, index.CodeBytes);
        Assert.Equal(0, loaded.CodeBytes);
        foreach (int probe in new[] { 3, 999, 1100, 1199 })
        {
            Assert.Equal(TestData.Key(probe), index.Search(rows[probe], 1)[0].Key);
            Assert.Equal(TestData.Key(probe), loaded.Search(rows[probe], 1)[0].Key);
        }
    }

    [Fact]
    public void Codes_recordsWrittenOneByOne_areBuiltALogarithmicNumberOfTimes()
    {
        // Released once the links since the last build reach half the slots: each build is paid for by as many
        // links as it encodes, so n single writes build about log1.5(n) times, not n times.
        if (!ScalarCodes.Pay(64))
        {
            return; // as above
        }

        var rows = TestData.Clustered(3000, 64, 10, seed: 7);
        var index = new VectorIndex(new VectorIndexOptions { Dimension = 64, Metric = DistanceMetric.Euclidean, EfConstruction = 32 });
        for (int i = 0; i < rows.Length; i++)
        {
            index.Upsert(TestData.Key(i), rows[i]);
        }

        int builds = index.CurrentState.CodeBuilds;
        Assert.InRange(builds, 2, 2 + (int)Math.Ceiling(Math.Log(rows.Length) / Math.Log(1.5)));
    }

    private static VectorIndex Build(DistanceMetric metric, float[][] rows, bool codes)
    {
        var index = new VectorIndex(new VectorIndexOptions { Dimension = rows[0].Length, Metric = metric, EfConstruction = 100, BuildOnCodes = codes });
        index.UpsertMany(rows.Select((r, i) => new EngineRecord(TestData.Key(i), r, new Dictionary<string, EngineValue>(StringComparer.Ordinal))).ToArray());
        return index;
    }

    private static double Recall(VectorIndex index, float[][] queries, int ef) =>
        queries.Average(q => TestData.Recall(index.Search(q, 10, ef: ef), index.Search(q, 10, exact: true)));

    private static bool WithinBound(int dimension, int seed, int shape)
    {
        var random = new Random(seed);
        float[] Draw() => shape switch
        {
            0 => TestData.Gaussian(random, dimension, 1),
            1 => Enumerable.Range(0, dimension).Select(_ => (float)random.NextDouble()).ToArray(),
            2 => Enumerable.Range(0, dimension).Select(_ => 1000f + (float)random.NextDouble()).ToArray(),
            _ => Enumerable.Range(0, dimension).Select(_ => random.Next(0, 256) == 0 ? 50f : (float)random.NextDouble()).ToArray(),
        };

        var a = Draw();
        var b = Draw();
        int stride = ScalarCodes.Stride(dimension);
        var ca = new byte[stride];
        var cb = new byte[stride];
        fixed (byte* pa = ca, pb = cb)
        {
            var ta = ScalarCodes.Encode(a, pa);
            var tb = ScalarCodes.Encode(b, pb);
            int codeDot = ScalarCodes.DotBytes(pa, pb, stride, (int)ta.Sum);
            double exactL2 = 0, exactDot = 0, l1a = 0, l1b = 0;
            for (int i = 0; i < dimension; i++)
            {
                exactL2 += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
                exactDot += (double)a[i] * b[i];
                l1a += Math.Abs(a[i]);
                l1b += Math.Abs(b[i]);
            }

            // Float rounding of the expanded sums, relative to their largest terms.
            double offset = Math.Max(Math.Abs(ta.Offset), Math.Abs(tb.Offset));
            double range = 255 * Math.Max(ta.Scale, tb.Scale);
            double dotSlack = 1e-5 * Math.Max(1, dimension * (offset + range) * (offset + range));
            double l2Slack = 1e-5 * Math.Max(1, exactL2 + (dimension * range * range));
            double l2Bound = Math.Sqrt(dimension) * (ta.Scale + tb.Scale) / 2;
            double dotBound = (l1a * tb.Scale / 2) + (l1b * ta.Scale / 2) + (dimension * ta.Scale * tb.Scale / 4);
            double l2 = Math.Sqrt(ScalarCodes.SquaredL2(ta, tb, codeDot, dimension));
            double dot = ScalarCodes.Dot(ta, tb, codeDot, dimension);
            return Math.Abs(l2 - Math.Sqrt(exactL2)) <= l2Bound + Math.Sqrt(l2Slack)
                && Math.Abs(dot - exactDot) <= dotBound + dotSlack;
        }
    }
}
