using Theodore.Engine.Durability;
using Theodore.Engine.Graph;

namespace Theodore.Engine;

public sealed partial class VectorIndex
{
    private VectorIndex(VectorIndexOptions options, IndexState state)
        : this(options)
    {
        _state = state;
        // Not known to be repaired: the next write past the growth step, or an integrity check, repairs it.
        _repairedAt = -1;
    }

    /// <summary>
    /// Writes the whole index (options, keys, vectors, levels, tombstones, the links of every layer, the entry
    /// point and the metadata) as sections named <paramref name="sectionPrefix"/> + "options", "keys", ... of
    /// <paramref name="writer"/>. The caller commits the writer. Searches keep running meanwhile; writers wait.
    /// </summary>
    public void WriteTo(SnapshotWriter writer, string sectionPrefix)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(sectionPrefix);

        // Holding the compaction lock and closing the writer gate (as compaction does) freezes one state for the
        // whole write, so the sections agree with each other; searches never pass the gate and go on meanwhile.
        // Freezing here, rather than asking callers to hold writes off, keeps the consistency the engine's own job.
        // The file holds a graph of linked records only, so waiting records are linked first: most of them with the
        // gate open, the few written meanwhile once it is closed.
        lock (_compactLock)
        {
            var st = CloseGateAllLinked();
            try
            {
                GraphSnapshot.Write(st, writer, sectionPrefix);

                // A snapshot reads every vector anyway; building codes again later costs the same, so an index
                // checkpointed at rest does not keep them (a quantized one does), and file-backed vectors leave the
                // resident set again.
                st.ReleaseCodes();
                st.ReleaseVectorPages();
            }
            finally
            {
                _gate.Open();
            }
        }
    }

    /// <summary>
    /// Loads an index written by <see cref="WriteTo"/> without re-running graph construction. The file is treated
    /// as hostile: anything inconsistent throws <see cref="CorruptDataException"/> naming the section. A quantized
    /// index keeps its vectors in files under <paramref name="vectorFileDirectory"/> when one is given
    /// (<see cref="VectorIndexOptions.VectorFileDirectory"/>).
    /// </summary>
    public static VectorIndex ReadFrom(SnapshotReader reader, string sectionPrefix, string? vectorFileDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(sectionPrefix);
        var (options, state) = GraphSnapshot.Read(reader, sectionPrefix, vectorFileDirectory);
        var index = new VectorIndex(options, state);
        index.StartLinker();
        return index;
    }

    /// <summary>The current state, for white-box tests.</summary>
    internal IndexState CurrentState => Volatile.Read(ref _state);
}
