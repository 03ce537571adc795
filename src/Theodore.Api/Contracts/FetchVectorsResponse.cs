using Theodore.Application.Vectors;

namespace Theodore.Api.Contracts;

/// <summary>The records that exist, in request order.</summary>
public sealed record FetchVectorsResponse(IReadOnlyList<VectorResponse> Vectors)
{
    public static FetchVectorsResponse From(FetchVectorsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new([.. result.Vectors.Select(v => VectorResponse.From(v))]);
    }
}
