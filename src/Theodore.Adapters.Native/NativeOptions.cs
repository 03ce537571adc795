using System.ComponentModel.DataAnnotations;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Native;

/// <summary>
/// Tuning of the embedded engine. Everything is kept in memory for now; storage settings arrive with the WAL,
/// not before, so no option here promises durability that does not exist.
/// </summary>
public sealed class NativeOptions
{
    public const string SectionName = "VectorStorage:Native";

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
}
