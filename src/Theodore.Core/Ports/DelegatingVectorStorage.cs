using Theodore.Core.Domain;

namespace Theodore.Core.Ports;

/// <summary>
/// Passes every call to <see cref="Inner"/>; a decorator derives from it and overrides what it changes.
/// <see cref="GetService"/> answers with this layer when it is of the asked type, else asks the inner one.
/// </summary>
public abstract class DelegatingVectorStorage(IVectorStorage inner) : IVectorStorage
{
    protected IVectorStorage Inner { get; } = inner ?? throw new ArgumentNullException(nameof(inner));

    public virtual StorageCapabilities Capabilities => Inner.Capabilities;

    public virtual ValueTask<IndexInfo> CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default) =>
        Inner.CreateIndexAsync(definition, cancellationToken);

    public virtual ValueTask<IndexInfo> DescribeIndexAsync(IndexName index, CancellationToken cancellationToken = default) =>
        Inner.DescribeIndexAsync(index, cancellationToken);

    public virtual ValueTask<IReadOnlyList<IndexInfo>> ListIndexesAsync(CancellationToken cancellationToken = default) =>
        Inner.ListIndexesAsync(cancellationToken);

    public virtual ValueTask DeleteIndexAsync(IndexName index, CancellationToken cancellationToken = default) =>
        Inner.DeleteIndexAsync(index, cancellationToken);

    public virtual ValueTask UpsertAsync(IndexName index, VectorRecord record, Namespace ns = default, CancellationToken cancellationToken = default) =>
        Inner.UpsertAsync(index, record, ns, cancellationToken);

    public virtual ValueTask<VectorRecord?> GetAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default) =>
        Inner.GetAsync(index, id, ns, cancellationToken);

    public virtual ValueTask<bool> DeleteAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default) =>
        Inner.DeleteAsync(index, id, ns, cancellationToken);

    public virtual ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default) =>
        Inner.SearchAsync(index, vector, options, cancellationToken);

    public virtual ValueTask<SearchResult> SearchByIdAsync(IndexName index, VectorId id, SearchOptions options, CancellationToken cancellationToken = default) =>
        Inner.SearchByIdAsync(index, id, options, cancellationToken);

    public virtual ValueTask<IndexStats> GetStatsAsync(IndexName index, CancellationToken cancellationToken = default) =>
        Inner.GetStatsAsync(index, cancellationToken);

    public virtual ValueTask<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        Inner.CheckHealthAsync(cancellationToken);

    public virtual object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : Inner.GetService(serviceType, serviceKey);
    }
}
