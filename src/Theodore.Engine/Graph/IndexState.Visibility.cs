using System.Runtime.CompilerServices;

namespace Theodore.Engine.Graph;

/// <summary>A slot's visibility state as stored: UTC ticks of its expiry and of its soft delete, 0 for none.</summary>
internal readonly record struct SlotState(long ExpiresAt, long DeletedAt);

// Soft delete and expiry per slot. A soft-deleted record keeps its key, vector, links and metadata (so it can be
// restored and the graph still walks through it) but its flag byte is 2, which every search already skips as it skips
// tombstones (1), and it leaves the metadata postings. Expiry lives in per-chunk arrays allocated on first use; a
// search consults them only while the state holds an expiring record.
internal sealed unsafe partial class IndexState
{
    public const byte TombstoneMark = 1;
    public const byte SoftDeletedMark = 2;

    private int _softDeleted;
    private int _expiring;

    /// <summary>Soft-deleted records (keyed, not searchable, restorable).</summary>
    public int SoftDeleted => Volatile.Read(ref _softDeleted);

    /// <summary>Keyed records (soft-deleted ones included) that carry an expiry.</summary>
    public int Expiring => Volatile.Read(ref _expiring);

    /// <summary>Keyed records that are not soft-deleted (expired ones included: that depends on the clock).</summary>
    public int UndeletedCount
    {
        get
        {
            lock (_allocLock)
            {
                return _map.Count - _softDeleted;
            }
        }
    }

    /// <summary>True for a dead slot: deleted or replaced, waiting for compaction.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsTombstone(int slot) => Volatile.Read(ref _chunks[slot >> ChunkShift].Deleted[slot & ChunkMask]) == TombstoneMark;

    public bool IsSoftDeleted(int slot) => Volatile.Read(ref _chunks[slot >> ChunkShift].Deleted[slot & ChunkMask]) == SoftDeletedMark;

    /// <summary>True when the slot's expiry is set and at or before <paramref name="now"/> (UTC ticks).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsExpired(int slot, long now)
    {
        var expiry = _chunks[slot >> ChunkShift].Expiry;
        if (expiry is null)
        {
            return false;
        }

        long at = Volatile.Read(ref expiry[slot & ChunkMask]);
        return at != 0 && at <= now;
    }

    public SlotState StateOf(int slot)
    {
        var chunk = _chunks[slot >> ChunkShift];
        int local = slot & ChunkMask;
        long expires = chunk.Expiry is { } expiry ? Volatile.Read(ref expiry[local]) : 0;
        long deleted = chunk.DeletedAt is { } deletedAt ? Volatile.Read(ref deletedAt[local]) : 0;
        return new SlotState(expires, deleted);
    }

    /// <summary>Hides a keyed record that is not soft-deleted yet; false otherwise.</summary>
    public bool SoftDelete(string key, long at)
    {
        lock (_allocLock)
        {
            if (!_map.TryGetValue(key, out int slot) || IsSoftDeleted(slot))
            {
                return false;
            }

            lock (Metadata.Gate)
            {
                Metadata.Remove(slot, MetadataOf(slot));
            }

            MarkSoftDeletedLocked(slot, at);
            return true;
        }
    }

    /// <summary>Makes a soft-deleted record searchable again; false when the key is missing or not soft-deleted.</summary>
    public bool Restore(string key)
    {
        lock (_allocLock)
        {
            if (!_map.TryGetValue(key, out int slot) || !IsSoftDeleted(slot))
            {
                return false;
            }

            var chunk = _chunks[slot >> ChunkShift];
            int local = slot & ChunkMask;
            lock (Metadata.Gate)
            {
                Metadata.Add(slot, chunk.Metadata[local]!);
            }

            chunk.DeletedAt![local] = 0;
            Volatile.Write(ref chunk.Deleted[local], 0);
            _softDeleted--;
            return true;
        }
    }

    /// <summary>Sets (ticks) or clears (0) the expiry of a keyed record; false when the key is missing.</summary>
    public bool SetExpiry(string key, long at)
    {
        lock (_allocLock)
        {
            if (!_map.TryGetValue(key, out int slot))
            {
                return false;
            }

            SetExpiryLocked(slot, at);
            return true;
        }
    }

    /// <summary>
    /// Swaps a keyed record's metadata in place (the vector and links stay); a search reads either the old or the new
    /// dictionary, both whole. False when the key is missing.
    /// </summary>
    public bool ReplaceMetadata(string key, IReadOnlyDictionary<string, EngineValue> metadata)
    {
        lock (_allocLock)
        {
            if (!_map.TryGetValue(key, out int slot))
            {
                return false;
            }

            var chunk = _chunks[slot >> ChunkShift];
            int local = slot & ChunkMask;
            var previous = chunk.Metadata[local]!;
            if (!IsSoftDeleted(slot))
            {
                lock (Metadata.Gate)
                {
                    Metadata.Remove(slot, previous);
                    Metadata.Add(slot, metadata);
                }
            }

            Volatile.Write(ref chunk.Metadata[local], metadata);
            return true;
        }
    }

    /// <summary>Keyed records past their expiry at <paramref name="now"/> that are not soft-deleted (those count as soft-deleted).</summary>
    public int CountExpired(long now)
    {
        if (Expiring == 0)
        {
            return 0;
        }

        int expired = 0;
        int n = Count;
        for (int slot = 0; slot < n; slot++)
        {
            if (!IsDeleted(slot) && IsExpired(slot, now))
            {
                expired++;
            }
        }

        return expired;
    }

    /// <summary>The keys of soft-deleted records (<paramref name="softDeleted"/>) and of expired ones at <paramref name="now"/> (0: none).</summary>
    public List<string> HiddenKeys(bool softDeleted, long now)
    {
        var keys = new List<string>();
        if ((!softDeleted || SoftDeleted == 0) && (now == 0 || Expiring == 0))
        {
            return keys;
        }

        int n = Count;
        for (int slot = 0; slot < n; slot++)
        {
            if (IsTombstone(slot))
            {
                continue;
            }

            if ((softDeleted && IsSoftDeleted(slot)) || (now != 0 && IsExpired(slot, now)))
            {
                keys.Add(Key(slot));
            }
        }

        return keys;
    }

    private void MarkSoftDeletedLocked(int slot, long at)
    {
        var chunk = _chunks[slot >> ChunkShift];
        chunk.DeletedAt ??= new long[ChunkMask + 1];
        chunk.DeletedAt[slot & ChunkMask] = at;
        Volatile.Write(ref chunk.Deleted[slot & ChunkMask], SoftDeletedMark);
        _softDeleted++;
    }

    private void SetExpiryLocked(int slot, long at)
    {
        var chunk = _chunks[slot >> ChunkShift];
        if (chunk.Expiry is null)
        {
            if (at == 0)
            {
                return;
            }

            chunk.Expiry = new long[ChunkMask + 1];
        }

        ref long stored = ref chunk.Expiry[slot & ChunkMask];
        if (stored == 0 && at != 0)
        {
            Interlocked.Increment(ref _expiring);
        }
        else if (stored != 0 && at == 0)
        {
            Interlocked.Decrement(ref _expiring);
        }

        Volatile.Write(ref stored, at);
    }

    private long StateBytes()
    {
        long bytes = 0;
        var chunks = Volatile.Read(ref _chunks);
        foreach (var chunk in chunks)
        {
            bytes += (chunk.Expiry?.Length ?? 0) * 8L;
            bytes += (chunk.DeletedAt?.Length ?? 0) * 8L;
        }

        return bytes;
    }
}
