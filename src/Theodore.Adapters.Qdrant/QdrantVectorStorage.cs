using System.Collections.Concurrent;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Qdrant.Client;
using Qdrant.Client.Grpc;
using Theodore.Core.Domain;
using Theodore.Core.Domain.Operations;
using Metadata = Theodore.Core.Domain.Metadata;
using Vectors = Theodore.Core.Domain.Vectors;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Adapters.Qdrant;

/// <summary>
/// Theodore's port over Qdrant's gRPC API with the official client (Qdrant.Client). One collection per index with one
/// unnamed dense vector; namespaces are a payload field with a keyword tenant index; ids are UUIDv5 points
/// (<see cref="QdrantPointIds"/>); the payload layout is in <see cref="QdrantPayload"/>, filters in
/// <see cref="QdrantFilters"/>, scores in <see cref="QdrantScores"/>, errors in <see cref="QdrantErrors"/>.
/// <para>
/// Index definitions are cached per adapter: the first call that needs one for an index Theodore did not create or
/// describe in this process costs one GetCollectionInfo; from then on a search or search by id is one Query call. The
/// cache entry is dropped when Qdrant says the collection is gone or the dimension is wrong, and when a local check fails
/// on dimension against a cached entry it is refreshed once before refusing.
/// </para>
/// <para>
/// Writes use wait=true, so an acknowledged write is applied and visible. In a distributed cluster that holds for every
/// replica only when WriteConsistencyFactor equals ReplicationFactor; with fewer the capabilities say Eventual. Deletes that report counts ask first (Retrieve or
/// Count) and then delete: a record written or deleted by someone else between the two calls can make the count off by
/// that many; the delete itself is exact. The adapter makes no retries (the resilience decorator does).
/// </para>
/// </summary>
public sealed partial class QdrantVectorStorage : IVectorStorage, IBatchVectorStorage, IStreamingVectorStorage, IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly QdrantClient _client;
    private readonly QdrantOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, IndexDefinition> _definitions = new(StringComparer.Ordinal);

    public QdrantVectorStorage(QdrantOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new QdrantOptionsValidator().Validate(null, options);
        if (validation.Failed)
        {
            throw new ArgumentException(validation.FailureMessage, nameof(options));
        }

        _options = options;
        _time = time ?? TimeProvider.System;
        _channel = GrpcChannel.ForAddress(options.Endpoint, new GrpcChannelOptions
        {
            MaxReceiveMessageSize = options.MaxResponseBytes,
            MaxSendMessageSize = null,
            HttpHandler = new SocketsHttpHandler
            {
                EnableMultipleHttp2Connections = true,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
                KeepAlivePingDelay = TimeSpan.FromSeconds(60),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
            },
            DisposeHttpClient = true,
        });
        var invoker = string.IsNullOrEmpty(options.ApiKey) ? _channel.CreateCallInvoker() : _channel.Intercept(new ApiKeyInterceptor(options.ApiKey));
        _client = new QdrantClient(new QdrantGrpcClient(invoker), options.Timeout, NullLoggerFactory.Instance);
        Capabilities = new StorageCapabilities
        {
            SystemName = QdrantConstants.SystemName,
            FilterOperators = QdrantFilters.Supported,
            MaxBatchRecords = options.MaxBatchRecords,
            MaxBatchBytes = options.MaxBatchBytes,
            SupportsOffset = true,
            SupportsNamespaces = true,
            SupportsDeleteByFilter = true,
            SupportsExactSearch = true,
            ReturnsNormalizedCosineVectors = true,
            ListsInIdOrder = false,
            QueryTimeout = QueryTimeoutSupport.BackendDeadline,

            // non-atomic mixed batches of upserts, deletes and metadata merges/replaces; no soft delete, expiry or compaction of Theodore's
            MixedBatches = true,

            // wait=true returns once WriteConsistencyFactor replicas applied the write; a read may go to any replica
            Consistency = (options.ReplicationFactor ?? 1) > (options.WriteConsistencyFactor ?? 1) ? ConsistencyLevel.Eventual : ConsistencyLevel.Strong,
        };
    }

    public QdrantVectorStorage(IOptions<QdrantOptions> options, TimeProvider? time)
        : this((options ?? throw new ArgumentNullException(nameof(options))).Value, time)
    {
    }

    public StorageCapabilities Capabilities { get; }

    public async ValueTask<IndexInfo> CreateIndexAsync(IndexDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        const string operation = "CreateIndex";
        var name = definition.Name.Value;
        var createdAt = _time.GetUtcNow();
        var request = new CreateCollection
        {
            CollectionName = name,
            VectorsConfig = new VectorsConfig
            {
                Params = new VectorParams { Size = (ulong)definition.Dimension, Distance = QdrantIndexMetadata.ToDistance(definition.Metric) },
            },
        };
        if (definition.Hnsw is { } hnsw)
        {
            request.HnswConfig = new HnswConfigDiff { M = (ulong)hnsw.M, EfConstruct = (ulong)hnsw.EfConstruction };
        }

        if (_options.ShardNumber is { } shards)
        {
            request.ShardNumber = (uint)shards;
        }

        if (_options.ReplicationFactor is { } replication)
        {
            request.ReplicationFactor = (uint)replication;
        }

        if (_options.WriteConsistencyFactor is { } wcf)
        {
            request.WriteConsistencyFactor = (uint)wcf;
        }

        request.Metadata.Add(QdrantIndexMetadata.Key, QdrantIndexMetadata.ToValue(definition, createdAt));
        await CallAsync(name, operation, () => _client.CreateCollectionAsync(request, cancellationToken), cancellationToken).ConfigureAwait(false);
        try
        {
            // the namespace field is the tenant: Qdrant co-locates each tenant's points and plans filtered searches by it
            await CallAsync(
                name,
                operation,
                () => _client.CreatePayloadIndexAsync(
                    name,
                    QdrantPayload.NamespaceKey,
                    PayloadSchemaType.Keyword,
                    new PayloadIndexParams { KeywordIndexParams = new KeywordIndexParams { IsTenant = true } },
                    wait: true,
                    cancellationToken: cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (VectorStorageException)
        {
            // half an index is worse than none: take the collection back, then report the failure
            await DeleteCollectionQuietlyAsync(name).ConfigureAwait(false);
            throw;
        }

        _definitions[name] = definition;
        return new IndexInfo(definition, 0, createdAt, createdAt);
    }

    public async ValueTask<IndexInfo> DescribeIndexAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        return await DescribeAsync(index, "DescribeIndex", cancellationToken).ConfigureAwait(false)
            ?? throw Unservable(index, "DescribeIndex");
    }

    public async ValueTask<IReadOnlyList<IndexInfo>> ListIndexesAsync(CancellationToken cancellationToken = default)
    {
        var names = await CallAsync(null, "ListIndexes", () => _client.ListCollectionsAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        var infos = new List<IndexInfo>(names.Count);
        foreach (var name in names.Order(StringComparer.Ordinal))
        {
            if (!IndexName.TryParse(name, out var index, out _))
            {
                continue; // a collection Theodore could not have created
            }

            try
            {
                if (await DescribeAsync(index, "ListIndexes", cancellationToken).ConfigureAwait(false) is { } info)
                {
                    infos.Add(info);
                }
            }
            catch (IndexNotFoundException)
            {
                // deleted between the list and the describe
            }
        }

        return infos;
    }

    public async ValueTask DeleteIndexAsync(IndexName index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        _definitions.TryRemove(index.Value, out _);
        await CallAsync(index.Value, "DeleteIndex", () => _client.DeleteCollectionAsync(index.Value, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask UpsertAsync(IndexName index, VectorRecord record, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(record);
        const string operation = "Upsert";
        RecordOperationRules.ThrowIfExpiryRefused(Capabilities, record, index.Value, operation);
        await CheckedAsync(index, operation, definition => Vectors.ThrowIfInvalidRecord(definition, record, QdrantConstants.SystemName, operation), cancellationToken).ConfigureAwait(false);
        var point = QdrantPayload.ToPoint(ns, record);
        await CallAsync(index.Value, operation, () => _client.UpsertAsync(index.Value, [point], wait: true, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<VectorRecord?> GetAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(id);
        var found = await RetrieveAsync(index, [id], ns, withPayload: true, withVectors: true, "Get", cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : ToRecord(found[0], includeValues: true, includeMetadata: true);
    }

    /// <summary>Two calls: Retrieve (did it exist?) then Delete; see the class remarks on the race between them.</summary>
    public async ValueTask<bool> DeleteAsync(IndexName index, VectorId id, Namespace ns = default, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(id);
        var found = await RetrieveAsync(index, [id], ns, withPayload: false, withVectors: false, "Delete", cancellationToken).ConfigureAwait(false);
        if (found.Count == 0)
        {
            return false;
        }

        await CallAsync(index.Value, "Delete", () => _client.DeleteAsync(index.Value, [found[0].Id], wait: true, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return true;
    }

    public async ValueTask<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            var reply = await CallAsync(null, "CheckHealth", () => _client.HealthAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            return new StorageHealth(HealthStatus.Healthy, QdrantConstants.SystemName, $"{reply.Title} {reply.Version}");
        }
        catch (VectorStorageException ex)
        {
            return new StorageHealth(HealthStatus.Unhealthy, QdrantConstants.SystemName, ex.Message);
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        _channel.Dispose();
        await ValueTask.CompletedTask.ConfigureAwait(false);
    }

    public override string ToString() => $"QdrantVectorStorage({_options.Endpoint})";

    private static UnsupportedOperationException Unservable(IndexName index, string operation) =>
        new UnsupportedOperationException($"Collection '{index.Value}' is not one Theodore can serve: it needs one unnamed dense vector of 1 to {IndexDefinition.MaxDimension} dimensions.")
        {
            SystemName = QdrantConstants.SystemName,
            Index = index.Value,
            Operation = operation,
        };

    /// <summary>GetCollectionInfo and an exact Count; refreshes the definition cache. Null for a collection Theodore cannot serve.</summary>
    private async ValueTask<IndexInfo?> DescribeAsync(IndexName index, string operation, CancellationToken cancellationToken)
    {
        var info = await CallAsync(index.Value, operation, () => _client.GetCollectionInfoAsync(index.Value, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (QdrantIndexMetadata.FromInfo(index, info) is not var (definition, createdAt))
        {
            return null;
        }

        _definitions[index.Value] = definition;
        var count = await CallAsync(index.Value, operation, () => _client.CountAsync(index.Value, exact: true, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
        return new IndexInfo(definition, (long)count, createdAt, null);
    }

    /// <summary>The index's definition: cached, or one GetCollectionInfo the first time.</summary>
    private async ValueTask<IndexDefinition> DefinitionAsync(IndexName index, string operation, CancellationToken cancellationToken)
    {
        if (_definitions.TryGetValue(index.Value, out var cached))
        {
            return cached;
        }

        return await FetchDefinitionAsync(index, operation, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<IndexDefinition> FetchDefinitionAsync(IndexName index, string operation, CancellationToken cancellationToken)
    {
        var info = await CallAsync(index.Value, operation, () => _client.GetCollectionInfoAsync(index.Value, cancellationToken), cancellationToken).ConfigureAwait(false);
        if (QdrantIndexMetadata.FromInfo(index, info) is not var (definition, _))
        {
            throw Unservable(index, operation);
        }

        _definitions[index.Value] = definition;
        return definition;
    }

    /// <summary>Runs Core's checks against the cached definition; a dimension failure against a cached entry refreshes it once.</summary>
    private async ValueTask<IndexDefinition> CheckedAsync(IndexName index, string operation, Action<IndexDefinition> check, CancellationToken cancellationToken)
    {
        var wasCached = _definitions.TryGetValue(index.Value, out var definition);
        definition ??= await FetchDefinitionAsync(index, operation, cancellationToken).ConfigureAwait(false);
        try
        {
            check(definition);
            return definition;
        }
        catch (DimensionMismatchException) when (wasCached)
        {
            var fresh = await FetchDefinitionAsync(index, operation, cancellationToken).ConfigureAwait(false);
            check(fresh);
            return fresh;
        }
    }

    private async ValueTask<IReadOnlyList<RetrievedPoint>> RetrieveAsync(IndexName index, IReadOnlyList<VectorId> ids, Namespace ns, bool withPayload, bool withVectors, string operation, CancellationToken cancellationToken)
    {
        var pointIds = ids.Select(id => new PointId { Uuid = QdrantPointIds.ToUuid(ns, id).ToString("D") }).ToList();
        var payload = withPayload
            ? new WithPayloadSelector { Include = Fields(QdrantPayload.IdKey, QdrantPayload.MetadataKey) }
            : new WithPayloadSelector { Include = Fields(QdrantPayload.IdKey) };
        return await CallAsync(
            index.Value,
            operation,
            () => _client.RetrieveAsync(index.Value, pointIds, payload, new WithVectorsSelector { Enable = withVectors }, cancellationToken: cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    private static PayloadIncludeSelector Fields(params string[] fields)
    {
        var selector = new PayloadIncludeSelector();
        selector.Fields.Add(fields);
        return selector;
    }

    private static VectorRecord ToRecord(RetrievedPoint point, bool includeValues, bool includeMetadata) =>
        new(
            QdrantPayload.IdOf(point.Payload),
            includeValues ? QdrantPayload.ValuesOf(point.Vectors) : ReadOnlyMemory<float>.Empty,
            includeMetadata ? QdrantPayload.MetadataOf(point.Payload) : Metadata.Empty);

    private async ValueTask DeleteCollectionQuietlyAsync(string name)
    {
        try
        {
            await _client.DeleteCollectionAsync(name).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or QdrantException)
        {
            // the original failure is the one to report
        }
    }

    /// <summary>The one point where Qdrant's failures become Theodore's (<see cref="QdrantErrors"/>); also keeps the definition cache honest.</summary>
    private async Task<T> CallAsync<T>(string? index, string operation, Func<Task<T>> call, CancellationToken cancellationToken, string? recordId = null)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RpcException or QdrantException)
        {
            var mapped = QdrantErrors.Map(ex, index, operation, recordId, cancellationToken);
            if (index is not null && mapped is IndexNotFoundException or DimensionMismatchException)
            {
                _definitions.TryRemove(index, out _);
            }

            throw mapped;
        }
    }

    private async Task CallAsync(string? index, string operation, Func<Task> call, CancellationToken cancellationToken) =>
        await CallAsync<bool>(
            index,
            operation,
            async () =>
            {
                await call().ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);
}
