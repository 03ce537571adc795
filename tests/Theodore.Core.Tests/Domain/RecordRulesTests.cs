using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Core.Tests.Domain;

public sealed class RecordRulesTests
{
    private static readonly IndexName Index = IndexName.Parse("companies");

    [Fact]
    public void Check_valid_record_has_no_errors()
    {
        var definition = new IndexDefinition(Index, 2, DistanceMetric.Cosine);

        Assert.Empty(RecordRules.Check(definition, new VectorRecord(VectorId.Parse("a"), new[] { 1f, 0f }), "record"));
    }

    [Fact]
    public void Check_unit_norm_is_required_only_by_a_normalizing_contract()
    {
        var record = new VectorRecord(VectorId.Parse("a"), new[] { 3f, 4f });
        var loose = new IndexDefinition(Index, 2, DistanceMetric.Cosine, new EmbeddingContract("m", "1", normalize: false));
        var strict = new IndexDefinition(Index, 2, DistanceMetric.Cosine, new EmbeddingContract("m", "1", normalize: true));

        Assert.Empty(RecordRules.Check(loose, record, "record"));
        Assert.Equal(ErrorCodes.EmbeddingContractViolation, Assert.Single(RecordRules.Check(strict, record, "record")).Code);
    }

    [Fact]
    public void ToException_contract_errors_become_a_contract_violation_saying_where()
    {
        var error = RecordRules.ToException([new RequestError("records[1].values", ErrorCodes.EmbeddingContractViolation, "not unit length")], "theodore", Index, "Upsert");

        var violation = Assert.IsType<EmbeddingContractViolationException>(error);
        Assert.Equal(("theodore", "companies", "Upsert"), (violation.SystemName, violation.Index, violation.Operation));
        Assert.Contains("records[1].values", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToException_dimension_errors_become_dimension_mismatch_listing_each()
    {
        RequestError[] errors =
        [
            new("records[0].values", ErrorCodes.DimensionMismatch, "expected 2 dimensions, got 3"),
            new("records[4].values", ErrorCodes.DimensionMismatch, "expected 2 dimensions, got 1"),
        ];

        var mismatch = Assert.IsType<DimensionMismatchException>(RecordRules.ToException(errors, "mock", Index, "Upsert"));

        Assert.Equal(2, mismatch.Errors.Count);
        Assert.Equal("mock", mismatch.SystemName);
    }
}
