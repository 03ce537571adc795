namespace Theodore.Engine;

/// <summary>Settings fixed when a <see cref="VectorIndex"/> is created.</summary>
public sealed record VectorIndexOptions
{
    public const int MaxDimension = 20_000;

    private readonly int? _rerankFactor;

    public required int Dimension { get; init; }

    public required DistanceMetric Metric { get; init; }

    /// <summary>Links per node on the upper layers; layer 0 keeps 2M.</summary>
    public int M { get; init; } = 16;

    public int EfConstruction { get; init; } = 200;

    /// <summary>
    /// The narrower construction beam used while more than half of <see cref="VectorIndex.MaxPendingLinks"/> records
    /// wait to be linked: EfConstruction / 5, at least 2M (40 for the defaults). Records linked with it are linked
    /// again with the full beam once the backlog is gone (<see cref="VectorIndex.PendingRefinements"/>).
    /// </summary>
    public int BacklogEfConstruction => Math.Min(EfConstruction, Math.Max(2 * M, EfConstruction / 5));

    /// <summary>The ef used when a search does not name one (raised to k when smaller).</summary>
    public int DefaultEf { get; init; } = 64;

    /// <summary>Compaction runs once tombstones exceed this share of the stored slots; 1 turns it off (call <see cref="VectorIndex.Compact"/>).</summary>
    public double CompactionThreshold { get; init; } = 0.25;

    /// <summary>Below this many tombstones compaction never runs (small indexes are cheap to walk).</summary>
    public int CompactionMinimumTombstones { get; init; } = 256;

    /// <summary>
    /// A filtered search whose estimated matches are at most this many is answered exactly over the
    /// matching records instead of through the graph.
    /// </summary>
    public int ExactFilterThreshold { get; init; } = 2_048;

    /// <summary>Batches at least this large are inserted by several threads.</summary>
    public int ParallelBatchThreshold { get; init; } = 512;

    public int Seed { get; init; } = 42;

    /// <summary>What searches walk the graph on (<see cref="VectorQuantization"/>); not for <see cref="DistanceMetric.Manhattan"/>.</summary>
    public VectorQuantization Quantization { get; init; } = VectorQuantization.None;

    /// <summary>
    /// With quantization, how many candidates per wanted hit a search measures exactly on the float vectors before
    /// answering (the best <c>RerankFactor * k</c> by code distance, at most ef of them). Unless named, the kind's
    /// own (<see cref="DefaultRerankFactorFor"/>), which an index then holds named.
    /// </summary>
    public int RerankFactor
    {
        get => _rerankFactor ?? DefaultRerankFactorFor(Quantization);
        init => _rerankFactor = value;
    }

    /// <summary>
    /// Where a quantized index keeps its float vectors: with a directory (on a disk, not tmpfs), each chunk's vectors
    /// are a memory-mapped file there, unlinked as soon as it is made, so resident memory is the codes, the graph and
    /// the pages reranking touches, and the kernel may drop vector pages under memory pressure instead of failing.
    /// Null (the default) keeps them in memory. Ignored without quantization, whose every visit reads the floats.
    /// Where the vectors live is not part of the index: snapshots neither store nor need it.
    /// </summary>
    public string? VectorFileDirectory { get; init; }

    /// <summary>
    /// The rerank factor an index of <paramref name="kind"/> gets unless it names one, chosen by measurement (ADR 0020
    /// for int8, ADR 0021 for int4 and binary): the smallest factor whose recall@10 at ef 160 is within about 0.002 of
    /// reranking every candidate, on both benchmark sets.
    /// </summary>
    public static int DefaultRerankFactorFor(VectorQuantization kind) => kind switch
    {
        VectorQuantization.Int4 => DefaultInt4RerankFactor,
        VectorQuantization.Binary => DefaultBinaryRerankFactor,
        _ => DefaultInt8RerankFactor,
    };

    /// <summary>The largest rerank factor an index or a search may name.</summary>
    public const int MaxRerankFactor = 100;

    private const int DefaultInt8RerankFactor = 2;
    private const int DefaultInt4RerankFactor = 4;
    private const int DefaultBinaryRerankFactor = 16;

    /// <summary>
    /// These options with the rerank factor named even where it is the kind's default, as an index holds them: options
    /// compare by value, and a snapshot stores the factor, so an index and its loaded copy must agree on the field.
    /// </summary>
    internal VectorIndexOptions WithRerankFactorResolved() => _rerankFactor is null ? this with { RerankFactor = RerankFactor } : this;

    /// <summary>
    /// Whether graph builds walk on 8-bit codes of the vectors where that pays (see <c>ScalarCodes</c>); searches
    /// always measure exactly. Off only to compare the two builds (tests, benchmarks).
    /// </summary>
    internal bool BuildOnCodes { get; init; } = true;

    internal void Validate(string parameter)
    {
        if (Dimension is < 1 or > MaxDimension)
        {
            throw new ArgumentOutOfRangeException(parameter, Dimension, $"Dimension must be 1-{MaxDimension}.");
        }

        if (!Enum.IsDefined(Metric))
        {
            throw new ArgumentOutOfRangeException(parameter, Metric, "Unknown metric.");
        }

        if (M is < 2 or > 128)
        {
            throw new ArgumentOutOfRangeException(parameter, M, "M must be 2-128.");
        }

        if (EfConstruction is < 1 or > 4096)
        {
            throw new ArgumentOutOfRangeException(parameter, EfConstruction, "EfConstruction must be 1-4096.");
        }

        if (DefaultEf is < 1 or > 65_536)
        {
            throw new ArgumentOutOfRangeException(parameter, DefaultEf, "DefaultEf must be 1-65536.");
        }

        if (CompactionThreshold is <= 0 or > 1 || double.IsNaN(CompactionThreshold))
        {
            throw new ArgumentOutOfRangeException(parameter, CompactionThreshold, "CompactionThreshold must be in (0, 1].");
        }

        if (CompactionMinimumTombstones < 0 || ExactFilterThreshold < 0 || ParallelBatchThreshold < 0)
        {
            throw new ArgumentOutOfRangeException(parameter, "Thresholds must not be negative.");
        }

        if (!Enum.IsDefined(Quantization))
        {
            throw new ArgumentOutOfRangeException(parameter, Quantization, "Unknown quantization.");
        }

        if (Quantization != VectorQuantization.None && Metric == DistanceMetric.Manhattan)
        {
            throw new ArgumentOutOfRangeException(parameter, Quantization, "Quantization needs the cosine, euclidean or dot product metric; manhattan distances have no form over codes.");
        }

        if (RerankFactor is < 1 or > MaxRerankFactor)
        {
            throw new ArgumentOutOfRangeException(parameter, RerankFactor, $"RerankFactor must be 1-{MaxRerankFactor}.");
        }
    }
}
