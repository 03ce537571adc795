using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Errors;

public sealed class RequestErrorsTests
{
    [Fact]
    public void ToException_only_dimension_errors_gives_dimension_mismatch_listing_each()
    {
        RequestError[] errors =
        [
            new("vectors[0].values", ErrorCodes.DimensionMismatch, "expected 3 dimensions, got 2"),
            new("vectors[4].values", ErrorCodes.DimensionMismatch, "expected 3 dimensions, got 5"),
        ];

        var ex = Assert.IsType<DimensionMismatchException>(RequestErrors.ToException(errors, "mock", "companies", "UpsertMany"));

        Assert.Equal(errors, ex.Errors);
        Assert.Equal(("mock", "companies", "UpsertMany"), (ex.SystemName, ex.Index, ex.Operation));
    }

    [Fact]
    public void ToException_contract_errors_become_a_contract_violation_listing_each()
    {
        RequestError[] errors = [new("vectors[1].values", ErrorCodes.EmbeddingContractViolation, "not unit length")];

        var ex = Assert.IsType<EmbeddingContractViolationException>(RequestErrors.ToException(errors));

        Assert.Equal(ErrorCodes.EmbeddingContractViolation, ex.Code);
        Assert.Equal("vectors[1].values", Assert.Single(ex.Errors).Path);
        Assert.Contains("vectors[1].values", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToException_filter_errors_become_invalid_filter()
    {
        RequestError[] errors = [new("filter.a", ErrorCodes.InvalidFilter, "unknown operator"), new("filter.b", ErrorCodes.InvalidFilter, "unknown operator")];

        var ex = Assert.IsType<InvalidFilterException>(RequestErrors.ToException(errors));

        Assert.Equal(2, ex.Errors.Count);
    }

    [Fact]
    public void ToException_mixed_codes_give_invalid_request_listing_all()
    {
        RequestError[] errors =
        [
            new("vectors[0].values", ErrorCodes.DimensionMismatch, "expected 3 dimensions, got 2"),
            new("vectors[1].values", ErrorCodes.EmbeddingContractViolation, "not unit length"),
        ];

        var ex = RequestErrors.ToException(errors);

        Assert.Equal(typeof(InvalidRequestException), ex.GetType());
        Assert.Equal(ErrorCodes.InvalidRequest, ex.Code);
        Assert.Equal(2, ex.Errors.Count);
    }

    [Fact]
    public void ThrowIfAny_no_errors_does_not_throw() => RequestErrors.ThrowIfAny([]);
}
