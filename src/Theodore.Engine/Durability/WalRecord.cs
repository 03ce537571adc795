namespace Theodore.Engine.Durability;

/// <summary>One record read back from the write-ahead log. The payload array belongs to the receiver.</summary>
public readonly record struct WalRecord(long Lsn, byte Type, ReadOnlyMemory<byte> Payload);
