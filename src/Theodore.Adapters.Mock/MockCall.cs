namespace Theodore.Adapters.Mock;

/// <summary>One call the mock received: the operation (the port method without "Async"), its index if any, and when.</summary>
public sealed record MockCall(string Operation, string? Index, DateTimeOffset Timestamp);
