namespace Theodore.Cli.Import;

/// <summary>
/// The end of an import: the final counts, the first failures (<see cref="ImportRunner.KeptFailures"/> at most), the
/// time taken, and the error that stopped it early, if any (the API unreachable, the key refused, a chunk refused whole).
/// </summary>
internal sealed record ImportOutcome(ImportProgress Progress, IReadOnlyList<ImportFailure> Failures, TimeSpan Duration, Exception? StoppedBy);
