namespace Theodore.Engine.Durability;

public enum DurableFileMode
{
    /// <summary>Open an existing file for reading only.</summary>
    OpenRead,

    /// <summary>Open an existing file for reading and writing.</summary>
    Open,

    /// <summary>Create the file, replacing any file of that name, for reading and writing.</summary>
    Create,
}
