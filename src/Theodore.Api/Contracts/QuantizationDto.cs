namespace Theodore.Api.Contracts;

/// <summary>
/// An index's quantization: <c>kind</c> none or int8 (searches walk on 8-bit codes), and how many candidates per
/// wanted hit are measured again exactly (<c>rerankFactor</c>, 1-100, default 2). Scores are always exact.
/// </summary>
public sealed record QuantizationDto(string? Kind, int? RerankFactor);
