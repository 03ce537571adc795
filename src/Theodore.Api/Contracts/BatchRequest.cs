using System.Text.Json;
using System.Text.Json.Serialization;
using Theodore.Application.Operations;

namespace Theodore.Api.Contracts;

/// <summary>
/// Body of <c>POST /v1/indexes/{index}/batch</c>: up to 1000 operations on one namespace, applied in order; with
/// <c>atomic</c> all or nothing.
/// </summary>
public sealed record BatchRequest(IReadOnlyList<OperationRequest?>? Operations, string? Namespace = null, bool? Atomic = null)
{
    /// <summary>Minimal API binding: the body read whole and parsed from one span (see <see cref="JsonBody"/>).</summary>
    public static ValueTask<BatchRequest?> BindAsync(HttpContext context) => JsonBody.ReadAsync<BatchRequest>(context);

    public ApplyOperations ToUseCase(string index) =>
        new(index, Operations?.Select(o => o?.ToInput()).ToList(), Namespace, Atomic ?? false);
}

/// <summary>
/// One operation: <c>op</c> (upsert, delete, softDelete, restore, updateMetadata, setExpiry), <c>id</c>, and what the
/// operation takes: <c>values</c>, <c>metadata</c> and <c>expiresAt</c>/<c>ttlSeconds</c> for an upsert;
/// <c>metadata</c> and <c>mode</c> (merge, the default, or replace) for updateMetadata; <c>expiresAt</c> or
/// <c>ttlSeconds</c>, or neither to clear the expiry, for setExpiry.
/// </summary>
public sealed record OperationRequest(
    string? Op,
    string? Id,
    [property: JsonConverter(typeof(FloatArrayJsonConverter))] float[]? Values = null,
    JsonElement? Metadata = null,
    string? Mode = null,
    string? ExpiresAt = null,
    long? TtlSeconds = null)
{
    public OperationInput ToInput() => new(Op, Id, Values, Metadata, Mode, ExpiresAt, TtlSeconds);
}
