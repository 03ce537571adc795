using Theodore.Application.Common;
using Theodore.Core.Domain;

namespace Theodore.Application.Tests;

public sealed class MetricNamesTests
{
    [Theory]
    [InlineData("cosine", DistanceMetric.Cosine)]
    [InlineData("euclidean", DistanceMetric.Euclidean)]
    [InlineData("dotproduct", DistanceMetric.DotProduct)]
    [InlineData("manhattan", DistanceMetric.Manhattan)]
    public void TryParse_wire_name_round_trips(string name, DistanceMetric metric)
    {
        Assert.True(MetricNames.TryParse(name, out var parsed, out _));
        Assert.Equal(metric, parsed);
        Assert.Equal(name, MetricNames.ToName(metric));
    }

    [Theory]
    [InlineData("COSINE")]
    [InlineData("DotProduct")]
    [InlineData("dot_product")]
    [InlineData(" cosine")]
    public void TryParse_other_spelling_is_refused(string name) => Assert.False(MetricNames.TryParse(name, out _, out _));

    [Fact]
    public void ToName_covers_every_metric() =>
        Assert.Equal(Enum.GetValues<DistanceMetric>().Length, Enum.GetValues<DistanceMetric>().Select(MetricNames.ToName).Distinct().Count());
}
