using Theodore.Core.Domain;
using Theodore.Core.Domain.Filtering;

namespace Theodore.Core.Ports;

/// <summary>
/// What a backend can do, so use cases can plan instead of failing at run time. An adapter that lacks an
/// operator or operation says so here and throws a clear error when asked anyway; it never degrades silently.
/// </summary>
public sealed record StorageCapabilities
{
    public required string SystemName { get; init; }

    public IReadOnlySet<DistanceMetric> Metrics { get; init; } = new HashSet<DistanceMetric>(Enum.GetValues<DistanceMetric>());

    public IReadOnlySet<FilterOperator> FilterOperators { get; init; } = new HashSet<FilterOperator>(Enum.GetValues<FilterOperator>());

    public int MaxDimension { get; init; } = IndexDefinition.MaxDimension;

    public int MaxTopK { get; init; } = SearchOptions.MaxTopK;

    public int MaxBatchRecords { get; init; } = 1000;

    public long MaxBatchBytes { get; init; } = 2 * 1024 * 1024;

    public bool SupportsOffset { get; init; }

    public bool SupportsNamespaces { get; init; }

    public bool SupportsDeleteByFilter { get; init; }

    public bool SupportsExactSearch { get; init; }

    /// <summary>True when the backend implements <see cref="IQueryEstimatingStorage"/> (query estimates and <c>maxCost</c>).</summary>
    public bool SupportsQueryEstimates { get; init; }

    /// <summary>True when cosine indexes return stored vectors normalized rather than as written (Qdrant).</summary>
    public bool ReturnsNormalizedCosineVectors { get; init; }

    /// <summary>
    /// True when listings (<see cref="IStreamingVectorStorage"/>) come in ordinal id order. False where the backend pages
    /// in its own key order (Qdrant scrolls by point UUID, a hash of the id): the pages still cover every record exactly
    /// once, in no order a caller can rely on, and a record written during a listing can be missed.
    /// </summary>
    public bool ListsInIdOrder { get; init; } = true;

    public ConsistencyLevel Consistency { get; init; } = ConsistencyLevel.Strong;

    /// <summary>
    /// False when a negated range ($not over $gt/$gte/$lt/$lte) cannot be expressed exactly: the negation also matches
    /// records whose field is a string, a boolean or a list, which a backend without type tests cannot select
    /// (Pinecone). Such filters are refused with <see cref="Errors.UnsupportedFilterException"/>.
    /// </summary>
    public bool NegatesRangeFilters { get; init; } = true;

    /// <summary>False when <see cref="IndexStats.MetadataFields"/> stays empty because the backend does not count records per field (Pinecone).</summary>
    public bool CountsMetadataFields { get; init; } = true;

    /// <summary>
    /// False when an all-zero vector cannot be stored even where the metric allows it (Pinecone: dense vectors need a
    /// non-zero value); such writes are refused with <see cref="Errors.InvalidRequestException"/>.
    /// </summary>
    public bool AcceptsZeroVectors { get; init; } = true;

    /// <summary>
    /// True when the backend keeps its records within a memory budget of Theodore's own: a write that would pass it is
    /// refused whole with <see cref="Errors.CapacityExceededException"/> (507 <c>capacity_exceeded</c>) before anything
    /// is written, and the usage and budget are reported (<see cref="IMemoryBudgetedStorage"/>). False where the backend
    /// manages its own memory (Qdrant, Pinecone): their own limits answer there, never Theodore's budget.
    /// </summary>
    public bool EnforcesMemoryBudget { get; init; }

    /// <summary>
    /// Whether a search may carry a deadline (<see cref="SearchOptions.Timeout"/>), and whether the backend stops working
    /// at it or only the caller stops waiting. None: such searches are refused with
    /// <see cref="Errors.UnsupportedOperationException"/>.
    /// </summary>
    public QueryTimeoutSupport QueryTimeout { get; init; }

    /// <summary>
    /// True when the backend implements <see cref="IRecordOperationsStorage"/>: mixed batches of upserts, deletes and
    /// metadata updates with a result per operation (which kinds beyond those: see the flags below).
    /// </summary>
    public bool MixedBatches { get; init; }

    /// <summary>
    /// False when a mixed batch cannot replace a record's metadata whole (<see cref="Domain.Operations.MetadataUpdateMode.Replace"/>)
    /// exactly: the wire only merges (Pinecone). Such a batch is refused up front with
    /// <see cref="Errors.UnsupportedOperationException"/>, nothing applied. Merge is part of <see cref="MixedBatches"/>.
    /// </summary>
    public bool ReplacesMetadata { get; init; } = true;

    /// <summary>True when a mixed batch can be applied all or nothing (<see cref="Domain.Operations.OperationBatchOptions.Atomic"/>).</summary>
    public bool AtomicBatches { get; init; }

    /// <summary>True when records can be soft-deleted, restored, listed with deleted ones, and purged by compaction.</summary>
    public bool SoftDelete { get; init; }

    /// <summary>True when records may carry an expiry: expired records are never returned and a sweeper deletes them.</summary>
    public bool Ttl { get; init; }

    /// <summary>True when <see cref="IIndexMaintenanceStorage.CompactAsync"/> purges soft-deleted and dead records on request.</summary>
    public bool Compaction { get; init; }

    /// <summary>True when <see cref="IOnlineRebuildStorage.StartRebuildAsync"/> rebuilds a graph while reads and writes go on.</summary>
    public bool OnlineRebuild { get; init; }

    /// <summary>The quantizations an index of this backend may be created with (<see cref="QuantizationOptions"/>).</summary>
    public IReadOnlySet<VectorQuantization> Quantizations { get; init; } = new HashSet<VectorQuantization> { VectorQuantization.None };
}
