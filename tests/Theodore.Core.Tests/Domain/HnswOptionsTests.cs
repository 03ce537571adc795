using Theodore.Core.Domain;

namespace Theodore.Core.Tests.Domain;

public sealed class HnswOptionsTests
{
    [Fact]
    public void Default_is_m16_ef200()
    {
        Assert.Equal(16, HnswOptions.Default.M);
        Assert.Equal(200, HnswOptions.Default.EfConstruction);
        Assert.Equal(HnswOptions.Default, new HnswOptions());
    }

    [Theory]
    [InlineData(2, 4)]
    [InlineData(128, 4096)]
    [InlineData(48, 100)]
    public void Constructor_values_within_range_are_accepted(int m, int ef)
    {
        var options = new HnswOptions(m, ef);

        Assert.Equal(m, options.M);
        Assert.Equal(ef, options.EfConstruction);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(129)]
    [InlineData(0)]
    public void Constructor_m_out_of_range_is_refused(int m)
    {
        Expect.InvalidAt(() => _ = new HnswOptions(m), "hnsw.m");
    }

    [Theory]
    [InlineData(3)]
    [InlineData(4097)]
    public void Constructor_ef_construction_out_of_range_is_refused(int ef)
    {
        Expect.InvalidAt(() => _ = new HnswOptions(efConstruction: ef), "hnsw.efConstruction");
    }
}
