namespace Theodore.Adapters.Native.Persistence;

/// <summary>
/// How an index came back at open: namespace graphs loaded from the snapshot as stored, graphs built from records
/// (no graph in the snapshot, or changed options), and records inserted on top (the log tail, or all for a rebuild).
/// </summary>
internal sealed record IndexLoadReport(int GraphsLoaded, int GraphsBuilt, long RecordsInserted);
