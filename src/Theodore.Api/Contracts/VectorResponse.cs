using Theodore.Core.Domain;

namespace Theodore.Api.Contracts;

/// <summary>
/// A stored record; values and metadata are left out when not asked for. <c>expiresAt</c> when it expires;
/// <c>deletedAt</c> when it is soft-deleted (read with <c>includeDeleted</c>).
/// </summary>
public sealed record VectorResponse(string Id, float[]? Values = null, IReadOnlyDictionary<string, object>? Metadata = null)
{
    public DateTimeOffset? ExpiresAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    public static VectorResponse From(VectorRecord record, bool includeValues = true, bool includeMetadata = true)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(
            record.Id.Value,
            includeValues ? record.Values.ToArray() : null,
            includeMetadata ? MetadataMapping.ToJson(record.Metadata) : null)
        {
            ExpiresAt = record.ExpiresAt,
            DeletedAt = record.DeletedAt,
        };
    }
}
