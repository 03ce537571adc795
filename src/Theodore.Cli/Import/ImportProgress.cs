namespace Theodore.Cli.Import;

/// <summary>Where an import stands after a chunk: items answered out of the total, and how they went.</summary>
internal readonly record struct ImportProgress(long Done, long Total, long Created, long Updated, long Unchanged, long Failed);
