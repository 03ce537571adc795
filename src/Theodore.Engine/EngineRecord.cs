namespace Theodore.Engine;

/// <summary>
/// A record as stored: its key, its vector (for <see cref="DistanceMetric.Cosine"/> the normalized
/// vector, since that is what the engine keeps) and its metadata (never null; empty when none).
/// </summary>
public sealed record EngineRecord(string Key, ReadOnlyMemory<float> Vector, IReadOnlyDictionary<string, EngineValue> Metadata);
