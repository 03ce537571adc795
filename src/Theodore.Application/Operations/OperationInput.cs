using System.Text.Json;

namespace Theodore.Application.Operations;

/// <summary>
/// One operation of a mixed batch as the caller sent it: <see cref="Op"/> is <c>upsert</c>, <c>delete</c>,
/// <c>softDelete</c>, <c>restore</c>, <c>updateMetadata</c> or <c>setExpiry</c>; the other fields are those the
/// operation takes (values, metadata and an expiry for an upsert; metadata and a mode for a metadata update; an expiry,
/// or none to clear it, for setExpiry). Turned into a <see cref="Core.Domain.Operations.RecordOperation"/> by
/// <see cref="ApplyOperations"/>.
/// </summary>
public sealed record OperationInput(
    string? Op,
    string? Id,
    float[]? Values = null,
    JsonElement? Metadata = null,
    string? Mode = null,
    string? ExpiresAt = null,
    long? TtlSeconds = null);
