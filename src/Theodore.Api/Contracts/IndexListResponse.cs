using Theodore.Application.Indexes;

namespace Theodore.Api.Contracts;

/// <summary>Every index, ordered by name.</summary>
public sealed record IndexListResponse(IReadOnlyList<IndexInfoResponse> Indexes)
{
    public static IndexListResponse From(ListIndexesResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new([.. result.Indexes.Select(IndexInfoResponse.From)]);
    }
}
