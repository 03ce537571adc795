using Theodore.Core.Domain.Filtering;
using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>One page of records in id order, from an opaque cursor.</summary>
public sealed record ListRequest
{
    public const int MaxLimit = 1000;

    private readonly int _limit = 100;

    public Namespace Namespace { get; init; }

    public int Limit
    {
        get => _limit;
        init => _limit = value is >= 1 and <= MaxLimit ? value : throw new InvalidRequestException("limit", $"must be between 1 and {MaxLimit}, got {value}");
    }

    /// <summary>The <see cref="RecordPage.NextCursor"/> of the previous page, or null for the first.</summary>
    public string? Cursor { get; init; }

    public FilterExpression? Filter { get; init; }

    public bool IncludeValues { get; init; }

    public bool IncludeMetadata { get; init; } = true;

    /// <summary>
    /// List soft-deleted records too (each with <see cref="VectorRecord.DeletedAt"/> set); a backend without soft delete
    /// refuses it with <see cref="UnsupportedOperationException"/>. Expired records are never listed.
    /// </summary>
    public bool IncludeDeleted { get; init; }
}
