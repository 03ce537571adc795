using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Domain;

public sealed class BatchOptionsTests
{
    [Fact]
    public void Defaults_are_the_documented_chunking()
    {
        var options = BatchOptions.Default;

        Assert.Equal(1000, options.MaxChunkRecords);
        Assert.Equal(2 * 1024 * 1024, options.MaxChunkBytes);
        Assert.Equal(4, options.MaxParallelism);
        Assert.False(options.RefuseInvalidBatch);
        Assert.True(BatchOptions.AllOrNothing.RefuseInvalidBatch);
    }

    [Theory]
    [InlineData(0, 1, 1, "options.maxChunkRecords")]
    [InlineData(1, 0, 1, "options.maxChunkBytes")]
    [InlineData(1, 1, -3, "options.maxParallelism")]
    public void A_bound_below_one_is_refused_naming_it(int records, long bytes, int parallelism, string path)
    {
        var error = Assert.Throws<InvalidRequestException>(() => new BatchOptions { MaxChunkRecords = records, MaxChunkBytes = bytes, MaxParallelism = parallelism });

        Assert.Equal(path, Assert.Single(error.Errors).Path);
    }

    [Fact]
    public void The_smallest_bounds_are_allowed()
    {
        var options = new BatchOptions { MaxChunkRecords = 1, MaxChunkBytes = 1, MaxParallelism = 1 };

        Assert.Equal((1, 1L, 1), (options.MaxChunkRecords, options.MaxChunkBytes, options.MaxParallelism));
    }
}
