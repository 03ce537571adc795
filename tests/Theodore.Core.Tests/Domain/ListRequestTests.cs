using Theodore.Core.Domain;

namespace Theodore.Core.Tests.Domain;

public sealed class ListRequestTests
{
    [Fact]
    public void Defaults_are_a_first_page_of_100_with_metadata()
    {
        var request = new ListRequest();

        Assert.Equal(100, request.Limit);
        Assert.Null(request.Cursor);
        Assert.True(request.IncludeMetadata);
        Assert.False(request.IncludeValues);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(1000)]
    public void Limit_within_range_is_accepted(int limit) => Assert.Equal(limit, new ListRequest { Limit = limit }.Limit);

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public void Limit_out_of_range_is_refused(int limit)
    {
        Expect.InvalidAt(() => _ = new ListRequest { Limit = limit }, "limit");
    }
}
