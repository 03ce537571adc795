using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Refit;
using Theodore.Adapters.Pinecone.Wire;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Pinecone;

/// <summary>
/// Theodore's storage port on Pinecone serverless, over Refit clients from <see cref="IHttpClientFactory"/>.
/// <para>
/// Requests: the control plane (<see cref="PineconeOptions.ControlPlaneEndpoint"/>) creates, describes, lists and
/// deletes indexes; the data plane is each index's own host. The adapter keeps the definition and host of every index
/// it has created or described, so in steady state <see cref="SearchAsync"/> and <see cref="SearchByIdAsync"/> are one
/// <c>POST /query</c> each, and writes are checked against Core's <see cref="Vectors"/> rules before anything is sent.
/// The first call on an index this process has not seen costs one extra <c>GET /indexes/{name}</c>; a 404 or a
/// dimension refusal from Pinecone drops the cached entry so the next call describes the index again.
/// </para>
/// <para>
/// Semantics: scores are Theodore's (<see cref="Scoring"/>; Pinecone's euclidean score is the squared L2 distance and is
/// converted), <see cref="SearchOptions.ScoreThreshold"/> is applied here with Theodore's inclusive comparison,
/// namespaces are Pinecone's own, filters are translated exactly or refused (<see cref="PineconeFilters"/>). Pinecone
/// has no Manhattan metric, no offset, no exact search and no per-field counts, and serverless indexes are
/// eventually consistent: all declared in <see cref="Capabilities"/>. The embedding contract is kept in index tags.
/// </para>
/// <para>
/// Retries are not made here: the HttpClients carry an attempt timeout only, and the port's resilience decorator
/// retries transient errors (<see cref="VectorStorageException.IsTransient"/>, with <see cref="VectorStorageException.RetryAfter"/>).
/// </para>
/// </summary>
public sealed partial class PineconeVectorStorage : IVectorStorage, IBatchVectorStorage, IStreamingVectorStorage, IAsyncDisposable
{
    private static readonly StorageCapabilities PineconeCapabilities = new()
    {
        SystemName = PineconeConstants.SystemName,
        Metrics = new HashSet<DistanceMetric> { DistanceMetric.Cosine, DistanceMetric.Euclidean, DistanceMetric.DotProduct },
        FilterOperators = PineconeFilters.Supported,
        MaxDimension = IndexDefinition.MaxDimension,
        MaxTopK = SearchOptions.MaxTopK - 1,
        MaxBatchRecords = PineconeLimits.MaxVectorsPerUpsert,
        MaxBatchBytes = PineconeLimits.MaxUpsertBytes,
        SupportsOffset = false,
        SupportsNamespaces = true,
        SupportsDeleteByFilter = true,
        SupportsExactSearch = false,
        ReturnsNormalizedCosineVectors = false,
        Consistency = ConsistencyLevel.Eventual,
        NegatesRangeFilters = false,
        CountsMetadataFields = false,
        AcceptsZeroVectors = false,

        // Pinecone's query has no timeout: at the deadline the HTTP request is cancelled and the caller hears 504, but
        // the server may still finish the query it already received
        QueryTimeout = QueryTimeoutSupport.ClientDeadline,

        // non-atomic mixed batches of upserts, deletes and metadata merges (update setMetadata); Pinecone's update only
        // merges, so a metadata replace is refused up front, as are soft delete, expiry and compaction of Theodore's
        MixedBatches = true,
        ReplacesMetadata = false,
    };

    private readonly PineconeOptions _options;
    private readonly IPineconeControlPlane _control;
    private readonly IHttpClientFactory _httpClients;
    private readonly RefitSettings _refit;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly string _dataScheme;
    private readonly ConcurrentDictionary<string, KnownIndex> _known = new(StringComparer.Ordinal);

    internal PineconeVectorStorage(
        IOptions<PineconeOptions> options,
        IPineconeControlPlane control,
        IHttpClientFactory httpClients,
        RefitSettings refit,
        ILogger<PineconeVectorStorage>? logger = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _control = control ?? throw new ArgumentNullException(nameof(control));
        _httpClients = httpClients ?? throw new ArgumentNullException(nameof(httpClients));
        _refit = refit ?? throw new ArgumentNullException(nameof(refit));
        _logger = logger ?? NullLogger<PineconeVectorStorage>.Instance;
        _time = time ?? TimeProvider.System;
        _dataScheme = new Uri(_options.ControlPlaneEndpoint, UriKind.Absolute).Scheme;
    }

    public StorageCapabilities Capabilities => PineconeCapabilities;

    public async ValueTask UpsertAsync(IndexName index, VectorRecord record, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        const string operation = "Upsert";
        RecordOperationRules.ThrowIfExpiryRefused(PineconeCapabilities, record, index.Value, operation);
        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var target = WireNamespace(ns, index, operation);
        Vectors.ThrowIfInvalidRecord(known.Definition, record, PineconeConstants.SystemName, operation);
        var errors = new List<RequestError>();
        CheckForPinecone(record, string.Empty, errors);
        RequestErrors.ThrowIfAny(errors, PineconeConstants.SystemName, index.Value, operation);

        var request = new UpsertRequest([ToWire(record)], target);
        await DataAsync(known, operation, (data, ct) => data.UpsertAsync(request, ct), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<VectorRecord?> GetAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(id);
        const string operation = "Get";
        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var target = WireNamespace(ns, index, operation);
        var fetched = await DataAsync(known, operation, (data, ct) => data.FetchAsync([id.Value], target, ct), cancellationToken).ConfigureAwait(false);
        return fetched.Vectors is { } vectors && vectors.TryGetValue(id.Value, out var vector)
            ? FromWire(vector, index.Value, includeValues: true, includeMetadata: true)
            : null;
    }

    /// <summary>
    /// Fetches the id to learn whether it exists (the port returns that), then deletes it: two requests. The delete is
    /// sent even when the fetch did not see the record: on an eventually consistent index a record upserted moments ago
    /// may not be readable yet, and skipping the delete would let it appear afterwards (a company deleted right after it
    /// was written came back). Deleting an id Pinecone does not hold is a no-op there, or a 404 when its namespace does
    /// not exist (yet), which then means nothing to delete.
    /// </summary>
    public async ValueTask<bool> DeleteAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(id);
        const string operation = "Delete";
        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var target = WireNamespace(ns, index, operation);
        var fetched = await DataAsync(known, operation, (data, ct) => data.FetchAsync([id.Value], target, ct), cancellationToken).ConfigureAwait(false);
        var existed = fetched.Vectors is not null && fetched.Vectors.ContainsKey(id.Value);
        var request = new DeleteRequest { Ids = [id.Value], Namespace = target };
        try
        {
            await DataAsync(
                known,
                operation,
                (data, ct) => data.DeleteAsync(request, ct),
                cancellationToken,
                existed ? PineconeErrors.NotFoundMeaning.Index : PineconeErrors.NotFoundMeaning.Record).ConfigureAwait(false);
        }
        catch (RecordNotFoundException) when (!existed)
        {
            // no such namespace: nothing was there to delete
        }

        return existed;
    }

    /// <summary>
    /// One <c>POST /query</c> once the index is known. A deadline (<see cref="SearchOptions.Timeout"/>) cancels the
    /// request at its moment and answers <see cref="StorageTimeoutException"/>; Pinecone is not told (see the capabilities).
    /// </summary>
    public async ValueTask<SearchResult> SearchAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        using var deadline = SearchDeadline.Start(options, PineconeCapabilities, index.Value, "Search", cancellationToken);
        try
        {
            return await SearchWithinAsync(index, vector, options, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (deadline.HasPassed && error is OperationCanceledException or StorageTimeoutException)
        {
            throw deadline.Exceeded(PineconeConstants.SystemName, index.Value, "Search", error);
        }
    }

    private async ValueTask<SearchResult> SearchWithinAsync(IndexName index, ReadOnlyMemory<float> vector, SearchOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(options);
        const string operation = "Search";
        var started = _time.GetTimestamp();
        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var target = CheckSearch(options, index, operation);
        Vectors.ThrowIfInvalidQuery(known.Definition, vector.Span, PineconeConstants.SystemName, operation);
        var request = new QueryRequest
        {
            Namespace = target,
            TopK = options.TopK,
            Filter = PineconeFilters.Translate(options.Filter, index.Value, operation),
            IncludeValues = options.IncludeValues,
            IncludeMetadata = options.IncludeMetadata,
            Vector = vector.ToArray(),
        };
        var response = await DataAsync(known, operation, (data, ct) => data.QueryAsync(request, ct), cancellationToken).ConfigureAwait(false);
        var matches = ToMatches(response, known.Definition, options, excluded: null);
        return new SearchResult(matches, Approximate: true, _time.GetElapsedTime(started));
    }

    /// <summary>
    /// One <c>POST /query</c> by id once the index is known. Pinecone's answer includes the record itself, so it is asked
    /// for <c>topK + 1</c> and the record is dropped. An empty answer without a filter means the id does not exist; an
    /// empty answer under a filter is ambiguous, and only then one fetch tells a missing record from no neighbours.
    /// </summary>
    public async ValueTask<SearchResult> SearchByIdAsync(IndexName index, VectorId id, SearchOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(options);
        using var deadline = SearchDeadline.Start(options, PineconeCapabilities, index.Value, "SearchById", cancellationToken);
        try
        {
            return await SearchByIdWithinAsync(index, id, options, deadline.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (deadline.HasPassed && error is OperationCanceledException or StorageTimeoutException)
        {
            throw deadline.Exceeded(PineconeConstants.SystemName, index.Value, "SearchById", error);
        }
    }

    private async ValueTask<SearchResult> SearchByIdWithinAsync(IndexName index, VectorId id, SearchOptions options, CancellationToken cancellationToken)
    {
        const string operation = "SearchById";
        var started = _time.GetTimestamp();
        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var target = CheckSearch(options, index, operation);
        var request = new QueryRequest
        {
            Namespace = target,
            TopK = options.TopK + 1,
            Filter = PineconeFilters.Translate(options.Filter, index.Value, operation),
            IncludeValues = options.IncludeValues,
            IncludeMetadata = options.IncludeMetadata,
            Id = id.Value,
        };
        var response = await DataAsync(known, operation, (data, ct) => data.QueryAsync(request, ct), cancellationToken, PineconeErrors.NotFoundMeaning.Record).ConfigureAwait(false);
        if (response.Matches is null or { Count: 0 })
        {
            var exists = options.Filter is not null
                && (await DataAsync(known, operation, (data, ct) => data.FetchAsync([id.Value], target, ct), cancellationToken).ConfigureAwait(false)).Vectors?.ContainsKey(id.Value) == true;
            if (!exists)
            {
                throw new RecordNotFoundException(index.Value, id.Value) { SystemName = PineconeConstants.SystemName, Operation = operation };
            }
        }

        var matches = ToMatches(response, known.Definition, options, excluded: id.Value);
        return new SearchResult(matches, Approximate: true, _time.GetElapsedTime(started));
    }

    /// <summary>
    /// From <c>describe_index_stats</c>: vectors in total and per namespace. Pinecone does not count records per
    /// metadata field (<see cref="StorageCapabilities.CountsMetadataFields"/>) nor report memory, so those are empty.
    /// </summary>
    public async ValueTask<IndexStats> GetStatsAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        const string operation = "GetStats";
        var known = await ResolveAsync(index, operation, cancellationToken).ConfigureAwait(false);
        var stats = await DescribeStatsAsync(known, operation, cancellationToken).ConfigureAwait(false);
        var namespaces = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var (name, summary) in stats.Namespaces ?? [])
        {
            var key = string.Equals(name, PineconeLimits.DefaultNamespaceAlias, StringComparison.Ordinal) ? string.Empty : name;
            namespaces[key] = namespaces.GetValueOrDefault(key) + (summary.VectorCount ?? 0);
        }

        return new IndexStats(
            stats.TotalVectorCount ?? namespaces.Values.Sum(),
            known.Definition.Dimension,
            known.Definition.Metric,
            MemoryBytes: null,
            new Dictionary<string, long>(StringComparer.Ordinal),
            namespaces,
            CreatedAt: null,
            UpdatedAt: null);
    }

    /// <summary>Healthy when the control plane answers a list request; unhealthy with the mapped error's words otherwise.</summary>
    public async ValueTask<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await CallAsync("CheckHealth", null, ct => _control.ListIndexesAsync(ct), cancellationToken).ConfigureAwait(false);
            return new StorageHealth(HealthStatus.Healthy, PineconeConstants.SystemName);
        }
        catch (VectorStorageException error)
        {
            return new StorageHealth(error.IsTransient ? HealthStatus.Degraded : HealthStatus.Unhealthy, PineconeConstants.SystemName, error.Message);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Nothing to release: the HttpClients belong to the factory. Drops the cached index definitions.</summary>
    public ValueTask DisposeAsync()
    {
        _known.Clear();
        return ValueTask.CompletedTask;
    }

    private static string? CheckSearch(SearchOptions options, IndexName index, string operation)
    {
        if (options.Offset > 0)
        {
            throw new UnsupportedOperationException("Pinecone has no offset paging; ask for a larger topK instead.")
            {
                SystemName = PineconeConstants.SystemName,
                Index = index.Value,
                Operation = operation,
            };
        }

        if (options.Exact)
        {
            throw new UnsupportedOperationException("Pinecone has no exact (brute-force) search mode.")
            {
                SystemName = PineconeConstants.SystemName,
                Index = index.Value,
                Operation = operation,
            };
        }

        if (options.TopK > PineconeCapabilities.MaxTopK)
        {
            throw new InvalidRequestException("topK", $"must be at most {PineconeCapabilities.MaxTopK} on Pinecone (a search by id asks for one more)")
            {
                SystemName = PineconeConstants.SystemName,
                Index = index.Value,
                Operation = operation,
            };
        }

        return WireNamespace(options.Namespace, index, operation);
    }

    private static List<SearchMatch> ToMatches(QueryResponse response, IndexDefinition definition, SearchOptions options, string? excluded)
    {
        var matches = new List<SearchMatch>(options.TopK);
        foreach (var match in response.Matches ?? [])
        {
            if (excluded is not null && string.Equals(match.Id, excluded, StringComparison.Ordinal))
            {
                continue;
            }

            var (score, distance) = PineconeMetrics.FromWire(definition.Metric, match.Score ?? 0);

            // Theodore's threshold is inclusive on Theodore's score; Pinecone has none, so it is applied here.
            if (options.ScoreThreshold is { } threshold && score < threshold)
            {
                continue;
            }

            matches.Add(new SearchMatch(
                VectorId.FromStored(match.Id),
                score,
                distance,
                options.IncludeValues ? (match.Values ?? []) : (ReadOnlyMemory<float>?)null,
                options.IncludeMetadata ? PineconeMetadata.FromJson(match.Metadata, definition.Name.Value, match.Id) : null));
        }

        SearchResult.EnsureOrder(matches);
        if (matches.Count > options.TopK)
        {
            matches.RemoveRange(options.TopK, matches.Count - options.TopK);
        }

        return matches;
    }

    private static PineconeVector ToWire(VectorRecord record) =>
        new(record.Id.Value, record.Values.ToArray(), PineconeMetadata.ToJson(record.Metadata ?? Metadata.Empty));

    private static VectorRecord FromWire(PineconeVector vector, string index, bool includeValues, bool includeMetadata) =>
        new(
            VectorId.FromStored(vector.Id),
            includeValues ? vector.Values ?? [] : ReadOnlyMemory<float>.Empty,
            includeMetadata ? PineconeMetadata.FromJson(vector.Metadata, index, vector.Id) : Metadata.Empty);

    /// <summary>The rules Pinecone adds to Core's: no all-zero dense vector, no metadata key starting with <c>$</c>.</summary>
    private static void CheckForPinecone(VectorRecord record, string prefix, List<RequestError> errors)
    {
        string At(string name) => prefix.Length == 0 ? name : $"{prefix}.{name}";
        if (Vectors.SquaredNorm(record.Values.Span) == 0)
        {
            errors.Add(new RequestError(At("values"), ErrorCodes.InvalidRequest, "Pinecone requires dense vectors to have at least one non-zero value"));
        }

        PineconeMetadata.Check(record.Metadata, At("metadata"), errors);
    }

    /// <summary>
    /// Pinecone's name for a namespace: null (the field left out) for the default one. From API version 2025-04 on,
    /// <c>__default__</c> also names the default namespace, so Theodore refuses it as a name of its own.
    /// </summary>
    private static string? WireNamespace(Namespace ns, IndexName index, string operation)
    {
        if (ns.IsDefault)
        {
            return null;
        }

        if (string.Equals(ns.Value, PineconeLimits.DefaultNamespaceAlias, StringComparison.Ordinal))
        {
            throw new InvalidRequestException("namespace", $"'{PineconeLimits.DefaultNamespaceAlias}' is Pinecone's name for the default namespace; leave the namespace out instead")
            {
                SystemName = PineconeConstants.SystemName,
                Index = index.Value,
                Operation = operation,
            };
        }

        return ns.Value;
    }

    private IPineconeDataPlane DataPlane(KnownIndex known)
    {
        // A client per call from the factory: its handlers are pooled and rotated by the factory, the host varies by index.
        var http = _httpClients.CreateClient(PineconeConstants.DataPlaneClientName);
        http.BaseAddress = known.Host;
        return RestService.ForGenerated<IPineconeDataPlane>(http, _refit);
    }

    private async Task<T> DataAsync<T>(
        KnownIndex known,
        string operation,
        Func<IPineconeDataPlane, CancellationToken, Task<T>> call,
        CancellationToken cancellationToken,
        PineconeErrors.NotFoundMeaning notFound = PineconeErrors.NotFoundMeaning.Index)
    {
        var data = DataPlane(known);
        return await CallAsync(operation, known.Definition.Name.Value, ct => call(data, ct), cancellationToken, notFound).ConfigureAwait(false);
    }

    /// <summary>Every request goes through here: the one point where failures are mapped (<see cref="PineconeErrors"/>).</summary>
    private async Task<T> CallAsync<T>(
        string operation,
        string? index,
        Func<CancellationToken, Task<T>> call,
        CancellationToken cancellationToken,
        PineconeErrors.NotFoundMeaning notFound = PineconeErrors.NotFoundMeaning.Index)
    {
        try
        {
            return await call(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is ApiException or ApiRequestException or HttpRequestException or TimeoutRejectedException
            || (error is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            var mapped = PineconeErrors.Map(error, new ErrorContext(operation, index, _options.ApiKey, cancellationToken.IsCancellationRequested, notFound), _time);
            if (index is not null && (mapped is IndexNotFoundException or DimensionMismatchException || error is HttpRequestException or ApiRequestException))
            {
                // The index is gone, not what we cached, or its host cannot be reached (deleted elsewhere, moved):
                // describe it again next time.
                _known.TryRemove(index, out _);
            }

            Log.RequestFailed(_logger, operation, index, (mapped as VectorStorageException)?.Code ?? "unknown");
            throw mapped;
        }
    }

    private sealed record KnownIndex(IndexDefinition Definition, Uri Host);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Created Pinecone index {Index} at {Host}")]
        public static partial void IndexCreated(ILogger logger, string index, Uri host);

        [LoggerMessage(EventId = 2, Level = LogLevel.Debug, Message = "Pinecone {Operation} on {Index} failed with {Code}")]
        public static partial void RequestFailed(ILogger logger, string operation, string? index, string code);
    }
}
