namespace Theodore.Core.Domain;

/// <summary>How a batch is cut and sent: chunks bounded by count and bytes, some in parallel.</summary>
public sealed record BatchOptions
{
    public int MaxChunkRecords { get; init; } = 1000;

    public long MaxChunkBytes { get; init; } = 2 * 1024 * 1024;

    public int MaxParallelism { get; init; } = 4;

    /// <summary>
    /// Check every record against the index before writing any: one invalid record refuses the whole batch with an
    /// <see cref="Errors.InvalidRequestException"/> listing every problem (paths <c>vectors[i]...</c>), and nothing
    /// is written. Off, invalid records are reported per item in the <see cref="BatchResult"/> and the rest written.
    /// </summary>
    public bool RefuseInvalidBatch { get; init; }

    public static BatchOptions Default { get; } = new();

    /// <summary>The default chunking, refusing a batch with any invalid record (what the HTTP API promises).</summary>
    public static BatchOptions AllOrNothing { get; } = new() { RefuseInvalidBatch = true };
}
