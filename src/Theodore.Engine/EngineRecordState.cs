namespace Theodore.Engine;

/// <summary>What a key names in a <see cref="VectorIndex"/> at a moment (expiry is read from its clock).</summary>
public enum EngineRecordState
{
    /// <summary>No record has the key (never stored, deleted, or purged).</summary>
    Missing,

    /// <summary>Stored and visible to every read.</summary>
    Live,

    /// <summary>Stored but hidden until restored or purged; reads that include deleted records return it.</summary>
    SoftDeleted,

    /// <summary>Stored but past its expiry: no read returns it, and a sweep deletes it.</summary>
    Expired,
}
