namespace Theodore.Engine.Durability;

/// <summary>A segment file of the log: its name, its place in the sequence and the LSN of its first record.</summary>
public sealed record WalSegmentInfo(string FileName, ulong Sequence, long FirstLsn);
