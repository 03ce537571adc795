using Theodore.Engine.Graph;

namespace Theodore.Engine;

public sealed partial class VectorIndex
{
    /// <summary>
    /// Checks that keys, slots, vectors, metadata postings and the graph agree (see the engine's README for the
    /// list). Searches keep running; writers and compaction wait until it is done. Checksums are the snapshot
    /// container's job, not this one's.
    /// </summary>
    public IntegrityReport CheckIntegrity()
    {
        lock (_compactLock)
        {
            _gate.Close();
            try
            {
                return GraphIntegrity.Check(Volatile.Read(ref _state));
            }
            finally
            {
                _gate.Open();
            }
        }
    }
}
