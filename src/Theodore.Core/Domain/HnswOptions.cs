using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>HNSW build parameters for backends that take them (native, Qdrant); others ignore them.</summary>
public sealed record HnswOptions
{
    public const int DefaultM = 16;
    public const int DefaultEfConstruction = 200;
    public const int MinM = 2;
    public const int MaxM = 128;
    public const int MinEfConstruction = 4;
    public const int MaxEfConstruction = 4096;

    public HnswOptions(int m = DefaultM, int efConstruction = DefaultEfConstruction)
    {
        if (m is < MinM or > MaxM)
        {
            throw new InvalidRequestException("hnsw.m", $"must be between {MinM} and {MaxM}, got {m}");
        }

        if (efConstruction is < MinEfConstruction or > MaxEfConstruction)
        {
            throw new InvalidRequestException("hnsw.efConstruction", $"must be between {MinEfConstruction} and {MaxEfConstruction}, got {efConstruction}");
        }

        M = m;
        EfConstruction = efConstruction;
    }

    public static HnswOptions Default { get; } = new();

    public int M { get; }

    public int EfConstruction { get; }
}
