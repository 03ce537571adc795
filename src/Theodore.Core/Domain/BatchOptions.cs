using Theodore.Core.Errors;

namespace Theodore.Core.Domain;

/// <summary>
/// How a batch is cut and sent: chunks bounded by count and bytes, some in parallel. Each bound is at least 1, checked
/// here once, so no adapter has to.
/// </summary>
public sealed record BatchOptions
{
    private readonly int _maxChunkRecords = 1000;
    private readonly long _maxChunkBytes = 2 * 1024 * 1024;
    private readonly int _maxParallelism = 4;

    public int MaxChunkRecords
    {
        get => _maxChunkRecords;
        init => _maxChunkRecords = value >= 1 ? value : throw AtLeastOne("options.maxChunkRecords", value);
    }

    public long MaxChunkBytes
    {
        get => _maxChunkBytes;
        init => _maxChunkBytes = value >= 1 ? value : throw AtLeastOne("options.maxChunkBytes", value);
    }

    public int MaxParallelism
    {
        get => _maxParallelism;
        init => _maxParallelism = value >= 1 ? value : throw AtLeastOne("options.maxParallelism", value);
    }

    /// <summary>
    /// Check every record against the index before writing any: one invalid record refuses the whole batch with an
    /// <see cref="Errors.InvalidRequestException"/> listing every problem (paths <c>vectors[i]...</c>), and nothing
    /// is written. Off, invalid records are reported per item in the <see cref="BatchResult"/> and the rest written.
    /// </summary>
    public bool RefuseInvalidBatch { get; init; }

    public static BatchOptions Default { get; } = new();

    /// <summary>The default chunking, refusing a batch with any invalid record (what the HTTP API promises).</summary>
    public static BatchOptions AllOrNothing { get; } = new() { RefuseInvalidBatch = true };

    private static InvalidRequestException AtLeastOne(string path, long value) => new(path, $"must be at least 1, got {value}");
}
