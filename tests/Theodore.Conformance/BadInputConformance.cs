using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Xunit;

namespace Theodore.Conformance;

/// <summary>Bad vectors, missing indexes and records, and taken names fail with the documented errors and write nothing.</summary>
public abstract class BadInputConformance : ConformanceSuite
{
    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public async Task UpsertAsync_non_finite_value_throws_InvalidRequest_and_writes_nothing(float bad)
    {
        var index = await CreateIndexAsync(3, DistanceMetric.Euclidean);

        var error = await Assert.ThrowsAnyAsync<InvalidRequestException>(async () => await Storage.UpsertAsync(index, Record("a", [1, bad, 2])));

        Assert.IsNotType<DimensionMismatchException>(error);
        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Null(await Storage.GetAsync(index, Id("a")));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public async Task SearchAsync_non_finite_query_throws_InvalidRequest(float bad)
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 0]));

        var error = await Assert.ThrowsAnyAsync<InvalidRequestException>(async () => await SearchAsync(index, [bad, 0]));

        Assert.IsNotType<DimensionMismatchException>(error);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public async Task UpsertAsync_wrong_dimension_throws_DimensionMismatch_and_writes_nothing(int dimension)
    {
        var index = await CreateIndexAsync(3, DistanceMetric.Euclidean);

        var error = await Assert.ThrowsAsync<DimensionMismatchException>(async () => await Storage.UpsertAsync(index, Record("a", new float[dimension])));

        Assert.Equal(ErrorCodes.DimensionMismatch, error.Code);
        Assert.Null(await Storage.GetAsync(index, Id("a")));
    }

    [Fact]
    public async Task SearchAsync_wrong_dimension_throws_DimensionMismatch()
    {
        var index = await CreateIndexAsync(3);
        await UpsertAsync(index, Record("a", [1, 0, 0]));

        await Assert.ThrowsAsync<DimensionMismatchException>(async () => await SearchAsync(index, [1, 0]));
    }

    [Fact]
    public async Task UpsertAsync_zero_vector_on_cosine_throws_InvalidRequest()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Cosine);

        await Assert.ThrowsAnyAsync<InvalidRequestException>(async () => await Storage.UpsertAsync(index, Record("zero", [0, 0])));

        Assert.Null(await Storage.GetAsync(index, Id("zero")));
    }

    [Fact]
    public async Task SearchAsync_zero_query_on_cosine_throws_InvalidRequest()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Cosine);
        await UpsertAsync(index, Record("a", [1, 0]));

        await Assert.ThrowsAnyAsync<InvalidRequestException>(async () => await SearchAsync(index, [0, 0]));
    }

    [Fact]
    public async Task UpsertAsync_zero_vector_on_euclidean_is_a_valid_point()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);

        if (!Capabilities.AcceptsZeroVectors)
        {
            await Assert.ThrowsAnyAsync<InvalidRequestException>(async () => await Storage.UpsertAsync(index, Record("origin", [0, 0])));
            Assert.Null(await Storage.GetAsync(index, Id("origin")));
            return;
        }

        await UpsertAsync(index, Record("origin", [0, 0]));

        var result = await SearchAsync(index, [0, 0]);
        AssertClose(1, Assert.Single(result.Matches).Score);
    }

    [Theory]
    [InlineData("describe")]
    [InlineData("delete-index")]
    [InlineData("upsert")]
    [InlineData("get")]
    [InlineData("delete")]
    [InlineData("search")]
    [InlineData("search-by-id")]
    [InlineData("stats")]
    public async Task Operation_on_a_missing_index_throws_IndexNotFound(string operation)
    {
        var missing = UniqueIndexName();
        Func<Task> call = operation switch
        {
            "describe" => async () => await Storage.DescribeIndexAsync(missing),
            "delete-index" => async () => await Storage.DeleteIndexAsync(missing),
            "upsert" => async () => await Storage.UpsertAsync(missing, Record("a", [1, 0])),
            "get" => async () => await Storage.GetAsync(missing, Id("a")),
            "delete" => async () => await Storage.DeleteAsync(missing, Id("a")),
            "search" => async () => await SearchAsync(missing, [1, 0]),
            "search-by-id" => async () => await Storage.SearchByIdAsync(missing, Id("a"), new SearchOptions()),
            "stats" => async () => await Storage.GetStatsAsync(missing),
            _ => throw new ArgumentOutOfRangeException(nameof(operation), operation, "unknown operation"),
        };

        var error = await Assert.ThrowsAsync<IndexNotFoundException>(call);

        Assert.Equal(ErrorCodes.IndexNotFound, error.Code);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task CreateIndexAsync_taken_name_throws_IndexAlreadyExists()
    {
        var index = await CreateIndexAsync();

        var error = await Assert.ThrowsAsync<IndexAlreadyExistsException>(async () => await Storage.CreateIndexAsync(new IndexDefinition(index, 2, DistanceMetric.Cosine)));

        Assert.Equal(ErrorCodes.IndexAlreadyExists, error.Code);
    }

    [Fact]
    public async Task UpsertAsync_rejected_replacement_keeps_the_previous_record()
    {
        var index = await CreateIndexAsync(2, DistanceMetric.Euclidean);
        await UpsertAsync(index, Record("a", [1, 2], Meta(("v", 1))));

        await Assert.ThrowsAnyAsync<InvalidRequestException>(async () => await Storage.UpsertAsync(index, Record("a", [float.NaN, 2], Meta(("v", 2)))));

        var record = await Storage.GetAsync(index, Id("a"));
        AssertStoredValues([1, 2], record?.Values, DistanceMetric.Euclidean);
        Assert.Equal(1, record!.Metadata["v"].AsNumber);
    }
}
