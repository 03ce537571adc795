using System.Text.Json.Serialization;
using Theodore.Core.Domain;

namespace Theodore.Api.Contracts;

/// <summary>One page of records in id order, and the cursor of the next page (null at the end).</summary>
public sealed record ListVectorsResponse(
    IReadOnlyList<VectorResponse> Vectors,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? NextCursor)
{
    public static ListVectorsResponse From(RecordPage page, bool includeValues, bool includeMetadata)
    {
        ArgumentNullException.ThrowIfNull(page);
        return new([.. page.Records.Select(r => VectorResponse.From(r, includeValues, includeMetadata))], page.NextCursor);
    }
}
