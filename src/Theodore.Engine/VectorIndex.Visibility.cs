using Theodore.Engine.Graph;

namespace Theodore.Engine;

// Soft delete, restore, expiry and metadata-only updates: each changes a record in place, under the writer gate,
// without touching its vector or its links (the graph still walks through hidden records, so a restore costs nothing).
public sealed unsafe partial class VectorIndex
{
    private TimeProvider _clock = TimeProvider.System;

    /// <summary>The clock expiry is read from (tests inject a fake one); the system clock by default.</summary>
    public TimeProvider Clock
    {
        get => _clock;
        set => _clock = value ?? throw new ArgumentNullException(nameof(value));
    }

    /// <summary>Soft-deleted records waiting for a restore or a purge.</summary>
    public int SoftDeletedCount => Volatile.Read(ref _state).SoftDeleted;

    /// <summary>Stored records that carry an expiry (expired or not).</summary>
    public int ExpiringCount => Volatile.Read(ref _state).Expiring;

    /// <summary>Records past their expiry now and not soft-deleted: stored, never returned, waiting for a sweep.</summary>
    public int CountExpired()
    {
        var st = Volatile.Read(ref _state);
        return st.Expiring == 0 ? 0 : st.CountExpired(_clock.GetUtcNow().UtcTicks);
    }

    /// <summary>What <paramref name="key"/> names now: missing, live, soft-deleted or expired (expiry wins over a soft delete).</summary>
    public EngineRecordState StateOf(string key)
    {
        ValidateKey(key);
        var st = Volatile.Read(ref _state);
        if (!st.TryGetSlot(key, out int slot))
        {
            return EngineRecordState.Missing;
        }

        var state = st.StateOf(slot);
        if (state.ExpiresAt != 0 && state.ExpiresAt <= _clock.GetUtcNow().UtcTicks)
        {
            return EngineRecordState.Expired;
        }

        return state.DeletedAt != 0 ? EngineRecordState.SoftDeleted : EngineRecordState.Live;
    }

    /// <summary>The stored record whatever its state (soft-deleted or expired too), with its expiry and delete time; null when missing.</summary>
    public EngineRecord? GetStored(string key)
    {
        ValidateKey(key);
        var st = Volatile.Read(ref _state);
        return st.TryGetSlot(key, out int slot) ? ReadRecord(st, key, slot, st.StateOf(slot)) : null;
    }

    /// <summary>Hides a stored record from every search and read until <see cref="Restore"/>; false when missing or already soft-deleted.</summary>
    public bool SoftDelete(string key, DateTimeOffset at)
    {
        ValidateKey(key);
        return Change(key, st => st.SoftDelete(key, Ticks(at)));
    }

    /// <summary>Makes a soft-deleted record live again, as it was; false when missing or not soft-deleted.</summary>
    public bool Restore(string key)
    {
        ValidateKey(key);
        return Change(key, st => st.Restore(key));
    }

    /// <summary>Sets or (null) clears a stored record's expiry; false when missing.</summary>
    public bool SetExpiry(string key, DateTimeOffset? expiresAt)
    {
        ValidateKey(key);
        long ticks = expiresAt is { } at ? Ticks(at) : 0;
        return Change(key, st => st.SetExpiry(key, ticks));
    }

    /// <summary>Replaces a stored record's metadata whole, keeping its vector and links; false when missing.</summary>
    public bool UpdateMetadata(string key, IReadOnlyDictionary<string, EngineValue> metadata)
    {
        ValidateKey(key);
        var stored = CopyMetadata(metadata);
        return Change(key, st => st.ReplaceMetadata(key, stored));
    }

    /// <summary>
    /// The keys of soft-deleted records (<paramref name="softDeleted"/>) and of records expired now
    /// (<paramref name="expired"/>), in slot order: what a purge or a sweep deletes.
    /// </summary>
    public IReadOnlyList<string> ListHiddenKeys(bool softDeleted, bool expired)
    {
        var st = Volatile.Read(ref _state);
        return st.HiddenKeys(softDeleted, expired ? Math.Max(1, _clock.GetUtcNow().UtcTicks) : 0);
    }

    private static SlotState StateOf(EngineRecord record) =>
        new(record.ExpiresAt is { } expires ? Ticks(expires) : 0, record.DeletedAt is { } deleted ? Ticks(deleted) : 0);

    // 0 means "none" in the slot arrays, so the earliest instant is stored as 1 tick.
    private static long Ticks(DateTimeOffset at) => Math.Max(1, at.UtcTicks);

    private static EngineRecord ReadRecord(IndexState st, string key, int slot, SlotState state)
    {
        var vector = new ReadOnlySpan<float>(st.Vector(slot), st.Dimension).ToArray();
        return new EngineRecord(key, vector, st.MetadataOf(slot))
        {
            ExpiresAt = state.ExpiresAt == 0 ? null : new DateTimeOffset(state.ExpiresAt, TimeSpan.Zero),
            DeletedAt = state.DeletedAt == 0 ? null : new DateTimeOffset(state.DeletedAt, TimeSpan.Zero),
        };
    }

    private bool Change(string key, Func<IndexState, bool> change)
    {
        bool changed;
        _gate.Enter();
        try
        {
            changed = change(Volatile.Read(ref _state));
            if (changed)
            {
                Interlocked.Increment(ref _version);
                NoteWritten(key);
            }
        }
        finally
        {
            _gate.Exit();
        }

        return changed;
    }
}
