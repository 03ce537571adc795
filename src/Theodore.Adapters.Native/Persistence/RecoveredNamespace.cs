using Theodore.Engine;

namespace Theodore.Adapters.Native.Persistence;

/// <summary>
/// One namespace as recovery finds it: the engine loaded from the snapshot's graph sections (none for a records-only
/// snapshot or a namespace first written after the snapshot), and the net change the log makes on top of it per id
/// (a record, or null for a delete).
/// </summary>
internal sealed class RecoveredNamespace
{
    public VectorIndex? Graph { get; set; }

    public HashSet<string> ListFields { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, StoredRecord?> Changes { get; } = new(StringComparer.Ordinal);
}
