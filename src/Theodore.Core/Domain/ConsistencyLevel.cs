namespace Theodore.Core.Domain;

/// <summary>Whether a read after an acknowledged write sees it (Strong) or may not yet (Eventual).</summary>
public enum ConsistencyLevel
{
    Strong,
    Eventual,
}
