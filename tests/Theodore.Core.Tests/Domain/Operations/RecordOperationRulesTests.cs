using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Core.Tests.Domain.Operations;

public sealed class RecordOperationRulesTests
{
    private static readonly StorageCapabilities Nothing = new() { SystemName = "plain", MixedBatches = true };

    private static readonly StorageCapabilities Everything = Nothing with { AtomicBatches = true, SoftDelete = true, Ttl = true, Compaction = true };

    private static readonly IndexDefinition Definition = new(IndexName.Parse("idx"), 2, DistanceMetric.Cosine);

    private static readonly VectorId A = VectorId.Parse("a");

    [Fact]
    public void ThrowIfRefused_everything_allowed_passes_every_kind()
    {
        RecordOperation[] all =
        [
            RecordOperation.Upsert(new VectorRecord(A, new float[] { 1, 0 }) { ExpiresAt = DateTimeOffset.UnixEpoch }),
            RecordOperation.Delete(A),
            RecordOperation.SoftDelete(A),
            RecordOperation.Restore(A),
            RecordOperation.UpdateMetadata(A, Metadata.Empty, MetadataUpdateMode.Replace),
            RecordOperation.SetExpiry(A, null),
        ];

        RecordOperationRules.ThrowIfRefused(Everything, all, OperationBatchOptions.AllOrNothing, "idx");
    }

    public static TheoryData<string, string> Refusals => new()
    {
        { "atomic", "all or nothing" },
        { "soft-delete", "operations[1]" },
        { "restore", "operations[1]" },
        { "set-expiry", "operations[1]" },
        { "upsert-expiry", "operations[1]" },
        { "replace", "operations[1]" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void ThrowIfRefused_what_the_capabilities_lack_is_unsupported_naming_the_position(string gap, string named)
    {
        var capabilities = Nothing with { ReplacesMetadata = false };
        var first = RecordOperation.Delete(A);
        var (operations, options) = gap switch
        {
            "atomic" => (new[] { first }, OperationBatchOptions.AllOrNothing),
            "soft-delete" => (new[] { first, RecordOperation.SoftDelete(A) }, OperationBatchOptions.Default),
            "restore" => (new[] { first, RecordOperation.Restore(A) }, OperationBatchOptions.Default),
            "set-expiry" => (new[] { first, RecordOperation.SetExpiry(A, DateTimeOffset.UnixEpoch) }, OperationBatchOptions.Default),
            "upsert-expiry" => (new[] { first, RecordOperation.Upsert(new VectorRecord(A, new float[] { 1, 0 }) { ExpiresAt = DateTimeOffset.UnixEpoch }) }, OperationBatchOptions.Default),
            "replace" => (new[] { first, RecordOperation.UpdateMetadata(A, Metadata.Empty, MetadataUpdateMode.Replace) }, OperationBatchOptions.Default),
            _ => throw new ArgumentOutOfRangeException(nameof(gap), gap, "unknown gap"),
        };

        var error = Assert.Throws<UnsupportedOperationException>(() => RecordOperationRules.ThrowIfRefused(capabilities, operations, options, "idx"));

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal("plain", error.SystemName);
        Assert.Equal("idx", error.Index);
    }

    [Fact]
    public void ThrowIfRefused_merge_and_plain_upserts_pass_without_any_flag()
    {
        RecordOperation[] plain =
        [
            RecordOperation.Upsert(new VectorRecord(A, new float[] { 1, 0 })),
            RecordOperation.Delete(A),
            RecordOperation.UpdateMetadata(A, Metadata.Empty, MetadataUpdateMode.Merge),
        ];

        RecordOperationRules.ThrowIfRefused(Nothing with { ReplacesMetadata = false }, plain, OperationBatchOptions.Default, "idx");
    }

    [Fact]
    public void ThrowIfRefused_too_many_or_no_operations_is_invalid_at_operations()
    {
        var tooMany = Enumerable.Repeat(RecordOperation.Delete(A), OperationBatchOptions.MaxOperations + 1).ToArray();

        Expect.InvalidAt(() => RecordOperationRules.ThrowIfRefused(Everything, tooMany, OperationBatchOptions.Default, "idx"), "operations");
        Expect.InvalidAt(() => RecordOperationRules.ThrowIfRefused(Everything, null!, OperationBatchOptions.Default, "idx"), "operations");
        RecordOperationRules.ThrowIfRefused(Everything, tooMany[..OperationBatchOptions.MaxOperations], OperationBatchOptions.Default, "idx");
    }

    [Fact]
    public void CheckInput_lists_every_problem_at_its_operation()
    {
        RecordOperation?[] operations =
        [
            RecordOperation.Upsert(new VectorRecord(A, new float[] { 1, 0 })),
            RecordOperation.Upsert(new VectorRecord(A, new float[] { 1, 0, 0 })),
            null,
            RecordOperation.Upsert(new VectorRecord(A, new float[] { 0, 0 })),
            RecordOperation.Delete(A),
        ];

        var errors = RecordOperationRules.CheckInput(Definition, operations);

        Assert.Equal(["operations[1].record.values", "operations[2]", "operations[3].record.values"], errors.Select(e => e.Path), StringComparer.Ordinal);
        Assert.Equal([ErrorCodes.DimensionMismatch, ErrorCodes.InvalidRequest, ErrorCodes.InvalidRequest], errors.Select(e => e.Code), StringComparer.Ordinal);
    }

    [Fact]
    public void NotFound_names_every_position_and_id()
    {
        var error = RecordOperationRules.NotFound("mock", "idx", [(2, A), (5, VectorId.Parse("b"))]);

        Assert.Equal(ErrorCodes.RecordNotFound, error.Code);
        Assert.Contains("operations[2] 'a'", error.Message, StringComparison.Ordinal);
        Assert.Contains("operations[5] 'b'", error.Message, StringComparison.Ordinal);
        Assert.Equal("idx", error.Index);
    }

    [Fact]
    public void IncludeDeleted_and_expiry_are_refused_only_without_the_capability()
    {
        var expiring = new VectorRecord(A, new float[] { 1, 0 }) { ExpiresAt = DateTimeOffset.UnixEpoch };

        Assert.Throws<UnsupportedOperationException>(() => RecordOperationRules.ThrowIfIncludeDeletedRefused(Nothing, includeDeleted: true, "idx", "List"));
        Assert.Throws<UnsupportedOperationException>(() => RecordOperationRules.ThrowIfExpiryRefused(Nothing, expiring, "idx", "Upsert"));
        RecordOperationRules.ThrowIfIncludeDeletedRefused(Nothing, includeDeleted: false, "idx", "List");
        RecordOperationRules.ThrowIfIncludeDeletedRefused(Everything, includeDeleted: true, "idx", "List");
        RecordOperationRules.ThrowIfExpiryRefused(Nothing, expiring with { ExpiresAt = null }, "idx", "Upsert");
        RecordOperationRules.ThrowIfExpiryRefused(Everything, expiring, "idx", "Upsert");
    }
}
