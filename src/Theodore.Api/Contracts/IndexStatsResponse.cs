using System.Text.Json.Serialization;
using Theodore.Application.Common;
using Theodore.Core.Domain;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Decorators.Resilience;

namespace Theodore.Api.Contracts;

/// <summary>
/// Vectors in total and per namespace ("" is the default one), memory when known, records per metadata field, and
/// vectors not yet in the ANN index (searched exactly meanwhile) when the backend says.
/// </summary>
public sealed record IndexStatsResponse(
    long TotalVectors,
    int Dimension,
    string Metric,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? MemoryBytes,
    IReadOnlyDictionary<string, long> MetadataFields,
    IReadOnlyDictionary<string, long> Namespaces,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] long? UnindexedVectors)
{
    /// <summary>Soft-deleted records kept for restore until compaction purges them; absent where the backend has no soft delete.</summary>
    public long? SoftDeletedVectors { get; init; }

    /// <summary>Expired records the sweeper has not deleted yet (never returned); absent where the backend has no TTL.</summary>
    public long? ExpiredVectors { get; init; }

    /// <summary>The running or last online rebuild and its progress; absent where the backend cannot rebuild online.</summary>
    public RebuildStatusResponse? Rebuild { get; init; }

    /// <summary>The search cache's statistics (all indexes), when the caching decorator is on.</summary>
    public CacheStatisticsResponse? Cache { get; init; }

    /// <summary>The circuit breaker's state (Closed, Open, HalfOpen, Isolated), when the resilience decorator is on.</summary>
    public string? Circuit { get; init; }

    /// <summary>
    /// The storage's memory use and budget (all indexes), when the backend enforces one
    /// (<see cref="StorageCapabilities.EnforcesMemoryBudget"/>); <c>budgetBytes</c> is null when it was turned off.
    /// </summary>
    public MemoryBudgetStatus? MemoryBudget { get; init; }

    /// <summary>Adds what the stack knows beside the index: the cache's statistics, the circuit's state, the memory budget.</summary>
    public IndexStatsResponse WithDecorators(IVectorStorage storage)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return this with
        {
            Cache = storage.GetService<ICacheableVectorStorage>() is { } cache ? CacheStatisticsResponse.From(cache.GetStatistics()) : null,
            Circuit = storage.GetService<ResilienceVectorStorage>()?.CircuitState.ToString(),
            MemoryBudget = storage.GetService<IMemoryBudgetedStorage>()?.GetMemoryBudget(),
        };
    }

    public static IndexStatsResponse From(IndexStats stats)
    {
        ArgumentNullException.ThrowIfNull(stats);
        return new(stats.TotalVectors, stats.Dimension, MetricNames.ToName(stats.Metric), stats.MemoryBytes, stats.MetadataFields, stats.Namespaces, stats.UnindexedVectors)
        {
            SoftDeletedVectors = stats.SoftDeletedVectors,
            ExpiredVectors = stats.ExpiredVectors,
            Rebuild = stats.Rebuild is { } rebuild ? RebuildStatusResponse.From(rebuild) : null,
        };
    }
}
