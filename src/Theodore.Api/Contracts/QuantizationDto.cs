namespace Theodore.Api.Contracts;

/// <summary>
/// An index's quantization: <c>kind</c> none, int8, int4 or binary (searches walk on 8-, 4- or 1-bit codes), and how
/// many candidates per wanted hit are measured again exactly (<c>rerankFactor</c>, 1-100; by default 2 for int8, 4 for
/// int4 and 16 for binary). Scores are always exact.
/// </summary>
public sealed record QuantizationDto(string? Kind, int? RerankFactor);
