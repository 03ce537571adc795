namespace Theodore.Engine.Graph;

/// <summary>
/// What the snapshot reader and the integrity check need beyond the hot-path members, plus the hooks the
/// integrity tests use to inject damage. Kept apart so the graph code itself stays untouched.
/// </summary>
internal sealed partial class IndexState
{
    /// <summary>The highest level <see cref="DrawLevel"/> can give; a snapshot claiming more is corrupt.</summary>
    public const int HighestLevel = MaxLevel;

    /// <summary>Ints in the upper-layer array of a slot (0 when it has none).</summary>
    public int UpperLength(int slot) => _chunks[slot >> ChunkShift].Upper[slot & ChunkMask]?.Length ?? 0;

    /// <summary>Points a key at a slot without any bookkeeping; tests use it to break the key map on purpose.</summary>
    public void ForceMapEntryForTesting(string key, int slot)
    {
        lock (_allocLock)
        {
            _map[key] = slot;
        }
    }

    /// <summary>Skews the tombstone counter; tests use it to break the counts on purpose.</summary>
    public void SkewTombstonesForTesting(int delta) => Interlocked.Add(ref _tombstones, delta);
}
