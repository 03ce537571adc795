using System.Collections.Concurrent;

namespace Theodore.Qdrant.Fake.Internal;

/// <summary>Every collection of one fake server.</summary>
internal sealed class FakeStore
{
    private long _operationId;

    public ConcurrentDictionary<string, FakeCollection> Collections { get; } = new(StringComparer.Ordinal);

    public ulong NextOperationId() => (ulong)Interlocked.Increment(ref _operationId);

    public FakeCollection Find(string name) =>
        Collections.TryGetValue(name, out var collection) ? collection : throw FakeErrors.CollectionNotFound(name);
}
