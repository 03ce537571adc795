using System.Text.Json;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Domain;

public sealed class VectorsTests
{
    [Fact]
    public void Check_valid_vector_has_no_errors()
    {
        Assert.Empty(Vectors.Check(new float[] { 0.1f, -2f, 3.5f }, 3, DistanceMetric.Cosine, "values"));
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Check_non_finite_value_is_refused_at_its_position(float bad)
    {
        var errors = Vectors.Check(new[] { 1f, bad, 2f }, 3, DistanceMetric.Euclidean, "values").ToList();

        var error = Assert.Single(errors);
        Assert.Equal("values[1]", error.Path);
        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
    }

    [Fact]
    public void Check_number_beyond_float_range_parsed_from_json_is_refused()
    {
        var values = JsonSerializer.Deserialize<float[]>("[0.5, 1e39]")!;

        Assert.True(float.IsPositiveInfinity(values[1]));
        var error = Assert.Single(Vectors.Check(values, 2, DistanceMetric.DotProduct, "vectors[0].values"));
        Assert.Equal("vectors[0].values[1]", error.Path);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(0)]
    public void Check_wrong_dimension_reports_dimension_mismatch(int length)
    {
        var error = Assert.Single(Vectors.Check(new float[length], 3, DistanceMetric.Euclidean, "values"));

        Assert.Equal(ErrorCodes.DimensionMismatch, error.Code);
        Assert.Equal("values", error.Path);
        Assert.Contains($"expected 3 dimensions, got {length}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_zero_vector_is_refused_for_cosine()
    {
        var error = Assert.Single(Vectors.Check(new float[3], 3, DistanceMetric.Cosine, "values"));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Contains("zero vector", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(DistanceMetric.Euclidean)]
    [InlineData(DistanceMetric.Manhattan)]
    [InlineData(DistanceMetric.DotProduct)]
    public void Check_zero_vector_is_fine_for_other_metrics(DistanceMetric metric)
    {
        Assert.Empty(Vectors.Check(new float[3], 3, metric, "values"));
    }

    [Fact]
    public void Check_unit_norm_accepts_unit_vectors_within_tolerance()
    {
        Assert.Empty(Vectors.Check(new[] { 0.6f, 0.8f }, 2, DistanceMetric.Cosine, "values", requireUnitNorm: true));
        Assert.Empty(Vectors.Check(new[] { 1.0005f, 0f }, 2, DistanceMetric.Cosine, "values", requireUnitNorm: true));
    }

    [Fact]
    public void Check_unit_norm_refuses_longer_vector_as_contract_violation()
    {
        var error = Assert.Single(Vectors.Check(new[] { 1f, 1f }, 2, DistanceMetric.DotProduct, "values", requireUnitNorm: true));

        Assert.Equal(ErrorCodes.EmbeddingContractViolation, error.Code);
        Assert.Contains("1.4142", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_without_unit_norm_accepts_any_length()
    {
        Assert.Empty(Vectors.Check(new[] { 3f, 4f }, 2, DistanceMetric.Cosine, "values"));
    }

    [Fact]
    public void Validate_wrong_dimension_throws_dimension_mismatch()
    {
        var ex = Assert.Throws<DimensionMismatchException>(() => Vectors.Validate(new float[2], 3, DistanceMetric.Cosine));

        Assert.Equal(ErrorCodes.DimensionMismatch, ex.Code);
        Assert.Equal("values", Assert.Single(ex.Errors).Path);
    }

    [Fact]
    public void Validate_nan_throws_invalid_request()
    {
        var ex = Expect.InvalidAt(() => Vectors.Validate(new[] { float.NaN }, 1, DistanceMetric.Cosine, "query"), "query[0]");

        Assert.Equal(ErrorCodes.InvalidRequest, ex.Code);
    }

    [Fact]
    public void Validate_valid_vector_does_not_throw()
    {
        Vectors.Validate(new[] { 1f, 2f }, 2, DistanceMetric.Cosine);
    }

    [Fact]
    public void ToException_only_dimension_errors_gives_dimension_mismatch()
    {
        var errors = new[]
        {
            new RequestError("vectors[0].values", ErrorCodes.DimensionMismatch, "expected 3 dimensions, got 2"),
            new RequestError("vectors[4].values", ErrorCodes.DimensionMismatch, "expected 3 dimensions, got 5"),
        };

        var ex = Assert.IsType<DimensionMismatchException>(Vectors.ToException(errors));

        Assert.Equal(errors, ex.Errors);
        Assert.Equal(ErrorCodes.DimensionMismatch, ex.Code);
    }

    [Fact]
    public void ToException_mixed_errors_gives_invalid_request_listing_all()
    {
        var errors = new[]
        {
            new RequestError("vectors[0].values", ErrorCodes.DimensionMismatch, "expected 3 dimensions, got 2"),
            new RequestError("vectors[1].values[0]", ErrorCodes.InvalidRequest, "values must be finite"),
        };

        var ex = Vectors.ToException(errors);

        Assert.IsType<InvalidRequestException>(ex);
        Assert.Equal(2, ex.Errors.Count);
    }

    [Fact]
    public void ToException_no_dimension_error_has_invalid_request_code()
    {
        var ex = Vectors.ToException([new RequestError("values[0]", ErrorCodes.InvalidRequest, "values must be finite")]);

        Assert.IsType<InvalidRequestException>(ex);
        Assert.Equal(ErrorCodes.InvalidRequest, ex.Code);
    }
}
