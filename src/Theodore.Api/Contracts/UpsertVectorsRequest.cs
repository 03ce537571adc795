using Theodore.Application.Vectors;

namespace Theodore.Api.Contracts;

/// <summary>Body of <c>POST /v1/indexes/{index}/vectors/upsert</c>: up to 1000 records into one namespace.</summary>
public sealed record UpsertVectorsRequest(IReadOnlyList<VectorRequest?>? Vectors, string? Namespace = null)
{
    /// <summary>Minimal API binding: the body read whole and parsed from one span (see <see cref="JsonBody"/>).</summary>
    public static ValueTask<UpsertVectorsRequest?> BindAsync(HttpContext context) => JsonBody.ReadAsync<UpsertVectorsRequest>(context);

    public UpsertVectors ToUseCase(string index) =>
        new(index, Vectors?.Select(v => v?.ToInput()!).ToList(), Namespace);
}
