namespace Theodore.Adapters.Native;

/// <summary>A prepared change: the log record to write first (none when there is nothing to log) and how to apply it.</summary>
internal sealed record PendingWrite<T>(byte Type, byte[]? Payload, Func<T> Apply);
