using System.Diagnostics.CodeAnalysis;
using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>What a backend's searches may walk on instead of the float vectors.</summary>
public enum VectorQuantization
{
    /// <summary>The float vectors: every distance measured exactly.</summary>
    None = 0,

    /// <summary>8-bit scalar codes walk the graph; the best candidates are measured again exactly before answering.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "int8 is this quantization's name in every vector database and on the wire.")]
    Int8 = 1,
}

/// <summary>
/// An index's quantization: the codes its searches walk on, and how many candidates per wanted hit are measured
/// again on the float vectors (the rerank factor). Scores are always from the exact measure.
/// </summary>
public sealed record QuantizationOptions
{
    public const int DefaultRerankFactor = 2;
    public const int MinRerankFactor = 1;
    public const int MaxRerankFactor = 100;

    public QuantizationOptions(VectorQuantization kind, int rerankFactor = DefaultRerankFactor)
    {
        if (!Enum.IsDefined(kind))
        {
            throw new InvalidRequestException("quantization.kind", $"unknown quantization '{kind}'");
        }

        if (rerankFactor is < MinRerankFactor or > MaxRerankFactor)
        {
            throw new InvalidRequestException("quantization.rerankFactor", $"must be between {MinRerankFactor} and {MaxRerankFactor}, got {rerankFactor}");
        }

        Kind = kind;
        RerankFactor = rerankFactor;
    }

    public VectorQuantization Kind { get; }

    public int RerankFactor { get; }

    /// <summary>The name used on the wire and in configuration: none or int8.</summary>
    public static string ToName(VectorQuantization kind) => kind switch
    {
        VectorQuantization.Int8 => "int8",
        _ => "none",
    };

    /// <summary>Parses none or int8 (any case); false with a message otherwise.</summary>
    public static bool TryParse(string? name, out VectorQuantization kind, out string error)
    {
        error = string.Empty;
        switch (name?.Trim().ToUpperInvariant())
        {
            case "NONE":
                kind = VectorQuantization.None;
                return true;
            case "INT8":
                kind = VectorQuantization.Int8;
                return true;
            default:
                kind = VectorQuantization.None;
                error = $"must be none or int8, got '{name}'";
                return false;
        }
    }
}
