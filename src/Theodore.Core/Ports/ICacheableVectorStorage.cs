using Theodore.Core.Domain;

namespace Theodore.Core.Ports;

/// <summary>A cache in the stack: invalidate it and read its statistics.</summary>
public interface ICacheableVectorStorage
{
    /// <summary>Drops cached results of one index, or of all when <paramref name="index"/> is null.</summary>
    ValueTask InvalidateAsync(IndexName? index = null, CancellationToken cancellationToken = default);

    CacheStatistics GetStatistics();
}
