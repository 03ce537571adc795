using Theodore.Core.Domain;

namespace Theodore.Core.Ports;

/// <summary>
/// The port every backend implements: indexes, records, search, stats and health, in Core's value objects only.
/// Scores mean the same on every backend (see <see cref="Scoring"/>); errors derive from
/// <see cref="Errors.VectorStorageException"/>. Optional abilities are reached with <see cref="GetService"/>.
/// </summary>
public interface IVectorStorage
{
    StorageCapabilities Capabilities { get; }

    /// <summary>Creates an index; throws <see cref="Errors.IndexAlreadyExistsException"/> when the name is taken.</summary>
    ValueTask<IndexInfo> CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default);

    ValueTask<IndexInfo> DescribeIndexAsync(IndexName index, CancellationToken cancellationToken = default);

    /// <summary>All indexes, ordered by name.</summary>
    ValueTask<IReadOnlyList<IndexInfo>> ListIndexesAsync(CancellationToken cancellationToken = default);

    /// <summary>Deletes an index and its records; throws <see cref="Errors.IndexNotFoundException"/> when missing.</summary>
    ValueTask DeleteIndexAsync(IndexName index, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces one record; validated against the index (dimension, finite values, metric rules).</summary>
    ValueTask UpsertAsync(IndexName index, VectorRecord record, Namespace ns = default, CancellationToken cancellationToken = default);

    /// <summary>The record, or null when it does not exist.</summary>
    ValueTask<VectorRecord?> GetAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default);

    /// <summary>Deletes one record; false when it did not exist.</summary>
    ValueTask<bool> DeleteAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default);

    ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default);

    /// <summary>Searches with a stored record's vector; the record itself is never among the matches.</summary>
    ValueTask<SearchResult> SearchByIdAsync(IndexName index, VectorId id, SearchOptions options, CancellationToken cancellationToken = default);

    ValueTask<IndexStats> GetStatsAsync(IndexName index, CancellationToken cancellationToken = default);

    ValueTask<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Reaches optional ports (<see cref="IBatchVectorStorage"/>, <see cref="IStreamingVectorStorage"/>,
    /// <see cref="ICacheableVectorStorage"/>) and concrete types through any stack of decorators; null when absent.
    /// </summary>
    object? GetService(Type serviceType, object? serviceKey = null);
}
