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

    /// <summary>4-bit scalar codes (an eighth of the float vector) walk the graph; a larger rerank than int8 makes up for them.</summary>
    [SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "int4 is this quantization's name on the wire.")]
    Int4 = 2,

    /// <summary>1-bit codes (a 32nd of the float vector) walk the graph; the coarsest estimate, with the largest default rerank.</summary>
    Binary = 3,
}

/// <summary>
/// An index's quantization: the codes its searches walk on, and how many candidates per wanted hit are measured
/// again on the float vectors (the rerank factor). Scores are always from the exact measure.
/// </summary>
public sealed record QuantizationOptions
{
    public const int MinRerankFactor = 1;
    public const int MaxRerankFactor = 100;

    /// <summary>An index of <paramref name="kind"/> with the given rerank factor, or its kind's default (<see cref="DefaultRerankFactorFor"/>).</summary>
    public QuantizationOptions(VectorQuantization kind, int? rerankFactor = null)
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
        RerankFactor = rerankFactor ?? DefaultRerankFactorFor(kind);
    }

    public VectorQuantization Kind { get; }

    public int RerankFactor { get; }

    /// <summary>
    /// The rerank factor an index of <paramref name="kind"/> gets unless it names one, chosen by measurement (ADR 0020
    /// for int8, ADR 0021 for int4 and binary); the native engine's <c>VectorIndexOptions.DefaultRerankFactorFor</c>
    /// holds the same figures.
    /// </summary>
    public static int DefaultRerankFactorFor(VectorQuantization kind) => kind switch
    {
        VectorQuantization.Int4 => 4,
        VectorQuantization.Binary => 16,
        _ => 2,
    };

    /// <summary>The name used on the wire and in configuration: none, int8, int4 or binary.</summary>
    public static string ToName(VectorQuantization kind) => kind switch
    {
        VectorQuantization.Int8 => "int8",
        VectorQuantization.Int4 => "int4",
        VectorQuantization.Binary => "binary",
        _ => "none",
    };

    /// <summary>Parses none, int8, int4 or binary (any case); false with a message otherwise.</summary>
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
            case "INT4":
                kind = VectorQuantization.Int4;
                return true;
            case "BINARY":
                kind = VectorQuantization.Binary;
                return true;
            default:
                kind = VectorQuantization.None;
                error = $"must be none, int8, int4 or binary, got '{name}'";
                return false;
        }
    }
}
