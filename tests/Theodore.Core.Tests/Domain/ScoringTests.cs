using FsCheck;
using FsCheck.Fluent;
using Theodore.Core.Domain;

namespace Theodore.Core.Tests.Domain;

public sealed class ScoringTests
{
    private const float Tolerance = 1e-6f;

    [Fact]
    public void Exact_cosine_is_cosine_similarity_with_distance_one_minus_it()
    {
        var (score, distance) = Scoring.Exact(DistanceMetric.Cosine, [1f, 0f], [1f, 1f]);

        Assert.Equal(1 / Math.Sqrt(2), score, Tolerance);
        Assert.Equal(1 - (1 / Math.Sqrt(2)), distance!.Value, Tolerance);
    }

    [Fact]
    public void Exact_cosine_of_opposite_vectors_is_minus_one()
    {
        var (score, distance) = Scoring.Exact(DistanceMetric.Cosine, [1f, 2f], [-2f, -4f]);

        Assert.Equal(-1f, score, Tolerance);
        Assert.Equal(2f, distance!.Value, Tolerance);
    }

    [Fact]
    public void Exact_cosine_of_orthogonal_vectors_is_zero()
    {
        var (score, distance) = Scoring.Exact(DistanceMetric.Cosine, [0f, 3f], [5f, 0f]);

        Assert.Equal(0f, score, Tolerance);
        Assert.Equal(1f, distance!.Value, Tolerance);
    }

    [Fact]
    public void Exact_dot_product_is_the_dot_product_without_distance()
    {
        var (score, distance) = Scoring.Exact(DistanceMetric.DotProduct, [1f, 2f, 3f], [4f, -5f, 6f]);

        Assert.Equal(12f, score);
        Assert.Null(distance);
    }

    [Fact]
    public void Exact_euclidean_is_one_over_one_plus_l2()
    {
        var (score, distance) = Scoring.Exact(DistanceMetric.Euclidean, [0f, 0f], [3f, 4f]);

        Assert.Equal(5f, distance!.Value, Tolerance);
        Assert.Equal(1f / 6f, score, Tolerance);
    }

    [Fact]
    public void Exact_manhattan_is_one_over_one_plus_l1()
    {
        var (score, distance) = Scoring.Exact(DistanceMetric.Manhattan, [1f, 1f], [4f, -3f]);

        Assert.Equal(7f, distance!.Value, Tolerance);
        Assert.Equal(0.125f, score, Tolerance);
    }

    [Fact]
    public void Exact_identical_vectors_score_one_under_distance_metrics()
    {
        float[] v = [0.3f, -1.2f, 7f];

        Assert.Equal(1f, Scoring.Exact(DistanceMetric.Euclidean, v, v).Score);
        Assert.Equal(1f, Scoring.Exact(DistanceMetric.Manhattan, v, v).Score);
        Assert.Equal(0f, Scoring.Exact(DistanceMetric.Euclidean, v, v).Distance);
    }

    [Fact]
    public void Exact_vectors_of_different_length_throw()
    {
        Assert.Throws<ArgumentException>(() => Scoring.Exact(DistanceMetric.Cosine, [1f, 2f], [1f]));
    }

    [Fact]
    public void Exact_unknown_metric_throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Scoring.Exact((DistanceMetric)9, [1f], [1f]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Scoring.ScoreFromDistance((DistanceMetric)9, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Scoring.DistanceFromScore((DistanceMetric)9, 1));
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine, 0.25, 0.75)]
    [InlineData(DistanceMetric.Cosine, 2.0, -1.0)]
    [InlineData(DistanceMetric.Euclidean, 1.0, 0.5)]
    [InlineData(DistanceMetric.Euclidean, 0.0, 1.0)]
    [InlineData(DistanceMetric.Manhattan, 3.0, 0.25)]
    [InlineData(DistanceMetric.DotProduct, 7.5, 7.5)]
    [InlineData(DistanceMetric.DotProduct, -2.0, -2.0)]
    public void ScoreFromDistance_follows_the_metric_formula(DistanceMetric metric, double distance, double expected)
    {
        Assert.Equal(expected, Scoring.ScoreFromDistance(metric, distance), Tolerance);
    }

    [Theory]
    [InlineData(DistanceMetric.Cosine, 0.75, 0.25)]
    [InlineData(DistanceMetric.Euclidean, 0.5, 1.0)]
    [InlineData(DistanceMetric.Manhattan, 0.2, 4.0)]
    public void DistanceFromScore_inverts_the_metric_formula(DistanceMetric metric, double score, double expected)
    {
        Assert.Equal(expected, Scoring.DistanceFromScore(metric, score)!.Value, 1e-5);
    }

    [Fact]
    public void DistanceFromScore_dot_product_has_no_distance()
    {
        Assert.Null(Scoring.DistanceFromScore(DistanceMetric.DotProduct, 3.0));
    }

    [Fact]
    public void ScoreFromDistance_then_DistanceFromScore_round_trips()
    {
        var metrics = Gen.Elements(DistanceMetric.Cosine, DistanceMetric.Euclidean, DistanceMetric.Manhattan);
        var gen = from metric in metrics
                  from micro in Gen.Choose(0, 2_000_000)
                  let distance = metric == DistanceMetric.Cosine ? micro / 1e6 : micro / 1e4
                  select (metric, distance);

        PropertyCheck.ForAll(gen.ToArbitrary(), t =>
        {
            var score = Scoring.ScoreFromDistance(t.metric, t.distance);
            var back = Scoring.DistanceFromScore(t.metric, score)!.Value;
            return Math.Abs(back - t.distance) <= 1e-5 * (1 + t.distance) * (1 + t.distance);
        });
    }

    [Fact]
    public void Exact_is_symmetric_for_every_metric()
    {
        PropertyCheck.ForAll(VectorPairs().ToArbitrary(), pair =>
            Enum.GetValues<DistanceMetric>().All(metric =>
                Scoring.Exact(metric, pair.A, pair.B).Equals(Scoring.Exact(metric, pair.B, pair.A))));
    }

    [Fact]
    public void Exact_cosine_of_a_vector_with_itself_is_one()
    {
        PropertyCheck.ForAll(VectorPairs().Select(p => p.A).Where(a => a.Any(x => x != 0)).ToArbitrary(), a =>
        {
            var (score, distance) = Scoring.Exact(DistanceMetric.Cosine, a, a);
            return Math.Abs(score - 1) <= 1e-6 && Math.Abs(distance!.Value) <= 1e-6;
        });
    }

    [Fact]
    public void Exact_scores_rank_closer_vectors_higher()
    {
        float[] query = [1f, 0f];
        float[] near = [0.9f, 0.1f];
        float[] far = [-1f, 0.5f];

        foreach (var metric in Enum.GetValues<DistanceMetric>())
        {
            Assert.True(Scoring.Exact(metric, query, near).Score > Scoring.Exact(metric, query, far).Score, metric.ToString());
        }
    }

    private static Gen<(float[] A, float[] B)> VectorPairs() =>
        from dimension in Gen.Choose(1, 16)
        from a in Gen.ArrayOf(Component(), dimension)
        from b in Gen.ArrayOf(Component(), dimension)
        select (a, b);

    private static Gen<float> Component() => Gen.Choose(-100_000, 100_000).Select(i => i / 1000f);
}
