namespace Theodore.Engine.Durability;

/// <summary>A named section of a snapshot: its data length and where its first block starts in the file.</summary>
public sealed record SnapshotSection(string Name, long Length, long DataOffset);
