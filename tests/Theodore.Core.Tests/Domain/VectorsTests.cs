using System.Text.Json;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Domain;

public sealed class VectorsTests
{
    private static readonly IndexName Index = IndexName.Parse("companies");

    private static List<RequestError> Check(float[] values, int dimension, DistanceMetric metric, string path, bool requireUnitNorm = false)
    {
        var definition = new IndexDefinition(Index, dimension, metric, requireUnitNorm ? new EmbeddingContract("m", "1", normalize: true) : null);
        var errors = new List<RequestError>();
        Vectors.Check(definition, values, path, isWrite: true, errors);
        return errors;
    }

    [Fact]
    public void Check_valid_vector_has_no_errors()
    {
        Assert.Empty(Check(new float[] { 0.1f, -2f, 3.5f }, 3, DistanceMetric.Cosine, "values"));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Check_non_finite_value_is_refused_at_its_position(float bad)
    {
        var errors = Check(new[] { 1f, bad, 2f }, 3, DistanceMetric.Euclidean, "values");

        var error = Assert.Single(errors);
        Assert.Equal("values[1]", error.Path);
        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
    }

    [Fact]
    public void Check_number_beyond_float_range_parsed_from_json_is_refused()
    {
        var values = JsonSerializer.Deserialize<float[]>("[0.5, 1e39]")!;

        Assert.True(float.IsPositiveInfinity(values[1]));
        var error = Assert.Single(Check(values, 2, DistanceMetric.DotProduct, "vectors[0].values"));
        Assert.Equal("vectors[0].values[1]", error.Path);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(0)]
    public void Check_wrong_dimension_reports_dimension_mismatch(int length)
    {
        var error = Assert.Single(Check(new float[length], 3, DistanceMetric.Euclidean, "values"));

        Assert.Equal(ErrorCodes.DimensionMismatch, error.Code);
        Assert.Equal("values", error.Path);
        Assert.Contains($"expected 3 dimensions, got {length}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_zero_vector_is_refused_for_cosine()
    {
        var error = Assert.Single(Check(new float[3], 3, DistanceMetric.Cosine, "values"));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Contains("zero vector", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Manhattan)]
    [InlineData(DistanceMetric.DotProduct)]
    public void Check_zero_vector_is_fine_for_other_metrics(DistanceMetric metric)
    {
        Assert.Empty(Check(new float[3], 3, metric, "values"));
    }

    [Fact]
    public void Check_unit_norm_accepts_unit_vectors_within_tolerance()
    {
        Assert.Empty(Check(new[] { 0.6f, 0.8f }, 2, DistanceMetric.Cosine, "values", requireUnitNorm: true));
        Assert.Empty(Check(new[] { 1.0005f, 0f }, 2, DistanceMetric.Cosine, "values", requireUnitNorm: true));
    }

    [Fact]
    public void Check_unit_norm_refuses_longer_vector_as_contract_violation()
    {
        var error = Assert.Single(Check(new[] { 1f, 1f }, 2, DistanceMetric.DotProduct, "values", requireUnitNorm: true));

        Assert.Equal(ErrorCodes.EmbeddingContractViolation, error.Code);
        Assert.Contains("1.4142", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_without_unit_norm_accepts_any_length()
    {
        Assert.Empty(Check(new[] { 3f, 4f }, 2, DistanceMetric.Cosine, "values"));
    }

    [Fact]
    public void Check_query_need_not_keep_the_unit_norm_contract()
    {
        var definition = new IndexDefinition(Index, 2, DistanceMetric.Cosine, new EmbeddingContract("m", "1", normalize: true));
        var errors = new List<RequestError>();

        Theodore.Core.Domain.Vectors.Check(definition, new[] { 3f, 4f }, "vector", isWrite: false, errors);

        Assert.Empty(errors);
    }

    [Fact]
    public void ThrowIfInvalidQuery_wrong_dimension_throws_dimension_mismatch_saying_where()
    {
        var definition = new IndexDefinition(Index, 3, DistanceMetric.Cosine);

        var ex = Assert.Throws<DimensionMismatchException>(() => Vectors.ThrowIfInvalidQuery(definition, new float[2], "mock", "Search"));

        Assert.Equal("vector", Assert.Single(ex.Errors).Path);
        Assert.Equal(("mock", "companies", "Search"), (ex.SystemName, ex.Index, ex.Operation));
    }

    [Fact]
    public void ThrowIfInvalidQuery_valid_vector_does_not_throw()
    {
        Vectors.ThrowIfInvalidQuery(new IndexDefinition(Index, 2, DistanceMetric.Cosine), new[] { 1f, 2f }, "mock", "Search");
    }

    [Fact]
    public void ThrowIfInvalidBatch_lists_every_bad_record_at_its_position()
    {
        var definition = new IndexDefinition(Index, 2, DistanceMetric.Euclidean);
        VectorRecord[] records =
        [
            new(VectorId.Parse("a"), new[] { 1f, 2f, 3f }),
            new(VectorId.Parse("b"), new[] { 1f, 2f }),
            new(VectorId.Parse("c"), new[] { 1f, float.NaN }),
        ];

        var ex = Assert.ThrowsAny<InvalidRequestException>(() => Vectors.ThrowIfInvalidBatch(definition, records, "mock", "UpsertMany"));

        Assert.Equal(["vectors[0].values", "vectors[2].values[1]"], ex.Errors.Select(e => e.Path).ToArray());
        Assert.Equal(ErrorCodes.InvalidRequest, ex.Code);
    }

    [Fact]
    public void CheckItem_names_the_item_and_its_first_code()
    {
        var definition = new IndexDefinition(Index, 2, DistanceMetric.Euclidean);

        var failure = Vectors.CheckItem(definition, new VectorRecord(VectorId.Parse("a"), new[] { 1f }), 7);

        Assert.NotNull(failure);
        Assert.Equal((7, "a", ErrorCodes.DimensionMismatch), (failure.Position, failure.Id, failure.Code));
        Assert.Contains("vectors[7].values", failure.Message, StringComparison.Ordinal);
        Assert.Null(Vectors.CheckItem(definition, new VectorRecord(VectorId.Parse("a"), new[] { 1f, 2f }), 7));
    }
}
