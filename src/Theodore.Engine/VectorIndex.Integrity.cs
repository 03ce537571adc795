using Theodore.Engine.Graph;

namespace Theodore.Engine;

public sealed partial class VectorIndex
{
    /// <summary>
    /// Checks that keys, slots, vectors, metadata postings and the graph agree (see the engine's README for the
    /// list). Searches keep running; writers and compaction wait until it is done. Checksums are the snapshot
    /// container's job, not this one's. Graph work still owed is finished first (records waiting to be linked, and
    /// the reachability repair that follows new links), so a reachability problem means the repair failed, not that
    /// it had not run yet.
    /// </summary>
    public IntegrityReport CheckIntegrity()
    {
        lock (_compactLock)
        {
            var st = CloseGateAllLinked();
            try
            {
                if (Volatile.Read(ref _repairedAt) != st.Linked || Volatile.Read(ref _refinedSinceRepair) > 0)
                {
                    RepairLocked(st);
                }

                return GraphIntegrity.Check(st);
            }
            finally
            {
                _gate.Open();
            }
        }
    }
}
