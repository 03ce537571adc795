using System.ComponentModel.DataAnnotations;
using Theodore.Core.Domain;
using Theodore.Engine.Durability;

namespace Theodore.Adapters.Native;

/// <summary>
/// Tuning and storage of the embedded engine. Records are durable (write-ahead log plus snapshots under
/// <see cref="DataPath"/>) unless <see cref="Durability"/> is <see cref="DurabilityMode.None"/>. Snapshots hold the HNSW
/// graph, so a start loads it and replays only the log written after the snapshot (see docs/operations.md).
/// </summary>
public sealed class NativeOptions
{
    public const string SectionName = "VectorStorage:Native";

    /// <summary>The data directory: <c>LOCK</c> and one durable store per index under <c>indexes/&lt;name&gt;/</c>.</summary>
    [Required]
    [MinLength(1)]
    public string DataPath { get; set; } = "data";

    /// <summary>
    /// Whether a quantized index keeps its float vectors in memory-mapped files under <c>&lt;DataPath&gt;/vectors</c>
    /// (the default, when durable): its searches walk on codes and read the floats only to rerank, so resident memory
    /// is the codes, the graph and the pages reranking touches, and the kernel may drop vector pages under memory
    /// pressure. The files are scratch, unlinked as soon as they are made; the log and snapshots stay the truth.
    /// </summary>
    public bool QuantizedVectorsInFiles { get; set; } = true;

    /// <summary>The directory quantized indexes map their vectors from, or null for memory (see <see cref="QuantizedVectorsInFiles"/>).</summary>
    internal string? VectorFileDirectory =>
        QuantizedVectorsInFiles && Durability != DurabilityMode.None ? Path.Combine(DataPath, "vectors") : null;

    /// <summary>Where backups are written, one directory per backup; empty (the default) means <c>&lt;DataPath&gt;/backups</c>.</summary>
    public string BackupPath { get; set; } = string.Empty;

    /// <summary>
    /// <see cref="DurabilityMode.Sync"/> (default): a write is acknowledged after fdatasync. <see cref="DurabilityMode.Batched"/>:
    /// after the write reaches the OS, synced every <see cref="BatchedIntervalMs"/> (a power loss can lose that window).
    /// <see cref="DurabilityMode.None"/>: memory only, no files.
    /// </summary>
    [EnumDataType(typeof(DurabilityMode))]
    public DurabilityMode Durability { get; set; } = DurabilityMode.Sync;

    /// <summary>How often <see cref="DurabilityMode.Batched"/> syncs the log, in milliseconds: its power-loss window.</summary>
    [Range(1, 60_000)]
    public int BatchedIntervalMs { get; set; } = 100;

    /// <summary>An index whose log has grown by this many bytes since its last snapshot gets a new one in the background.</summary>
    [Range(typeof(long), "65536", "68719476736")]
    public long SnapshotWalBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>HNSW links per node for indexes created without <see cref="HnswOptions"/>.</summary>
    [Range(HnswOptions.MinM, HnswOptions.MaxM)]
    public int DefaultM { get; set; } = HnswOptions.DefaultM;

    /// <summary>HNSW build breadth for indexes created without <see cref="HnswOptions"/>.</summary>
    [Range(HnswOptions.MinEfConstruction, HnswOptions.MaxEfConstruction)]
    public int DefaultEfConstruction { get; set; } = HnswOptions.DefaultEfConstruction;

    /// <summary>Search breadth when a query names no <see cref="SearchOptions.Ef"/>; raised to topK + offset when smaller.</summary>
    [Range(1, SearchOptions.MaxEf)]
    public int DefaultEf { get; set; } = 64;

    /// <summary>Share of deleted or replaced records, 0.01 to 1, above which a namespace's graph is rebuilt without them.</summary>
    [Range(0.01, 1.0)]
    public double CompactionThreshold { get; set; } = 0.25;

    /// <summary>A filtered search expected to match at most this many records scans them exactly instead of walking the graph.</summary>
    [Range(0, 1_000_000)]
    public int ExactFilterThreshold { get; set; } = 2_048;

    /// <summary>
    /// Records per namespace that may be stored and searchable but not yet linked into the HNSW graph. A write is
    /// acknowledged once it is logged and stored; a background linker adds it to the graph, and until then searches
    /// scan it exactly (one distance per waiting record). Past this many, writers link the excess themselves, so
    /// ingest slows to the graph's pace. 0 links every record before its write is acknowledged.
    /// </summary>
    [Range(0, 10_000_000)]
    public int MaxUnindexedVectors { get; set; } = 50_000;

    /// <summary>
    /// Bytes the storage's records, graphs, keys and metadata may hold in memory (allocated, as the stats count them).
    /// A write that would pass it is refused whole with 507 <c>capacity_exceeded</c> before it is logged; deletes and
    /// reads always run. Unset: <see cref="DefaultMemoryBudgetShare"/> of the memory the process may use
    /// (<see cref="GC.GetGCMemoryInfo()"/>'s total available bytes, which honours a container's limit). Must be positive.
    /// </summary>
    [Range(typeof(long), "1", "9223372036854775807")]
    public long? MemoryBudgetBytes { get; set; }

    /// <summary>False turns the memory budget off: writes are then never refused on memory (the process may run out).</summary>
    public bool MemoryBudgetEnabled { get; set; } = true;

    /// <summary>
    /// The default budget's share of available memory. The rest leaves room for a compaction's second copy of a
    /// namespace (up to three quarters of it while the old graph serves), the GC's headroom, the embedding model and
    /// request buffers.
    /// </summary>
    public const double DefaultMemoryBudgetShare = 0.4;

    /// <summary>The budget in force: null when turned off, else <see cref="MemoryBudgetBytes"/> or the default share.</summary>
    public long? EffectiveMemoryBudgetBytes() =>
        !MemoryBudgetEnabled ? null : MemoryBudgetBytes ?? (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * DefaultMemoryBudgetShare);
}
