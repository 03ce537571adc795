namespace Theodore.Engine.Durability;

public enum DurabilityMode
{
    /// <summary>An append is acknowledged only after its record is on stable storage (fdatasync). Nothing acknowledged is lost.</summary>
    Sync,

    /// <summary>
    /// An append is acknowledged once written to the operating system, and the log is flushed every
    /// <see cref="WriteAheadLogOptions.BatchInterval"/>. A killed process loses nothing acknowledged; a power loss or
    /// kernel crash can lose the records acknowledged in the last interval plus the duration of one flush.
    /// </summary>
    Batched,

    /// <summary>Memory only: no files are written and nothing survives a restart.</summary>
    None,
}
