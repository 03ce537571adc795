namespace Theodore.Core.Domain;

/// <summary>How a batch is cut and sent: chunks bounded by count and bytes, some in parallel.</summary>
public sealed record BatchOptions
{
    public int MaxChunkRecords { get; init; } = 1000;

    public long MaxChunkBytes { get; init; } = 2 * 1024 * 1024;

    public int MaxParallelism { get; init; } = 4;

    public static BatchOptions Default { get; } = new();
}
