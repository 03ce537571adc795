using Grpc.Core;
using Qdrant.Client.Grpc;

namespace Theodore.Qdrant.Fake.Internal;

/// <summary>The Collections RPCs the adapter calls: Create, Get, List, Delete, CollectionExists.</summary>
internal sealed class CollectionsService(FakeStore store) : Collections.CollectionsBase
{
    private static readonly System.Buffers.SearchValues<char> Forbidden = System.Buffers.SearchValues.Create("<>:\"/\\|?*\0");

    public override Task<CollectionOperationResponse> Create(CreateCollection request, ServerCallContext context)
    {
        var name = request.CollectionName;
        if (name.Length is 0 or > 255)
        {
            throw FakeErrors.Validation("collection_name: length must be between 1 and 255");
        }

        if (name.AsSpan().IndexOfAny(Forbidden) >= 0)
        {
            throw FakeErrors.Validation($"collection_name: collection name cannot contain \"{name[name.AsSpan().IndexOfAny(Forbidden)]}\" char");
        }

        if (request.VectorsConfig?.ConfigCase != VectorsConfig.ConfigOneofCase.Params)
        {
            throw new RpcException(new Status(StatusCode.Unimplemented, "the fake serves collections with one unnamed dense vector only"));
        }

        var size = request.VectorsConfig.Params.Size;
        if (size is 0 or > 65536)
        {
            throw FakeErrors.Validation("vectors_config.size: value must be between 1 and 65536");
        }

        if (request.VectorsConfig.Params.Distance == Distance.UnknownDistance)
        {
            throw FakeErrors.Invalid("Malformed distance parameter");
        }

        if (request.HasReplicationFactor && request.ReplicationFactor == 0)
        {
            throw FakeErrors.Validation("replication_factor: value 0 invalid, must be 1 or larger");
        }

        if (request.HasShardNumber && request.ShardNumber == 0)
        {
            throw FakeErrors.Validation("shard_number: value 0 invalid, must be 1 or larger");
        }

        if (!store.Collections.TryAdd(name, new FakeCollection(name, request.Clone())))
        {
            throw FakeErrors.CollectionExists(name);
        }

        return Task.FromResult(new CollectionOperationResponse { Result = true, Time = 0.001 });
    }

    public override Task<GetCollectionInfoResponse> Get(GetCollectionInfoRequest request, ServerCallContext context)
    {
        var collection = store.Find(request.CollectionName);
        var create = collection.Request;
        var hnsw = new HnswConfigDiff { M = 16, EfConstruct = 100, FullScanThreshold = 10000, MaxIndexingThreads = 0, PayloadM = 16 };
        if (create.HnswConfig is { } given)
        {
            hnsw.MergeFrom(given);
        }

        var info = new CollectionInfo
        {
            Status = CollectionStatus.Green,
            OptimizerStatus = new OptimizerStatus { Ok = true },
            SegmentsCount = 1,
            Config = new CollectionConfig
            {
                Params = new CollectionParams
                {
                    ShardNumber = create.HasShardNumber ? create.ShardNumber : 1,
                    VectorsConfig = create.VectorsConfig.Clone(),
                    ReplicationFactor = create.HasReplicationFactor ? create.ReplicationFactor : 1,
                    WriteConsistencyFactor = create.HasWriteConsistencyFactor ? create.WriteConsistencyFactor : 1,
                },
                HnswConfig = hnsw,
                OptimizerConfig = new OptimizersConfigDiff(),
                WalConfig = new WalConfigDiff(),
            },
        };
        info.Config.Metadata.Add(create.Metadata);
        lock (collection.Gate)
        {
            info.PointsCount = (ulong)collection.Points.Count;
            info.IndexedVectorsCount = 0;
            foreach (var (field, schema) in collection.PayloadIndexes)
            {
                info.PayloadSchema.Add(field, schema.Clone());
            }

            foreach (var (field, schema) in collection.PayloadIndexes)
            {
                info.PayloadSchema[field].Points = (ulong)collection.Points.Values.Count(p => !PayloadPath.Parse(field).IsEmpty(p.Payload));
            }
        }

        return Task.FromResult(new GetCollectionInfoResponse { Result = info, Time = 0.001 });
    }

    // Qdrant lists in no promised order; the fake answers in reverse name order so a client that forgets to sort shows it.
    public override Task<ListCollectionsResponse> List(ListCollectionsRequest request, ServerCallContext context)
    {
        var response = new ListCollectionsResponse { Time = 0.001 };
        response.Collections.AddRange(store.Collections.Keys.OrderDescending(StringComparer.Ordinal).Select(n => new CollectionDescription { Name = n }));
        return Task.FromResult(response);
    }

    // A missing collection is not an error: OK with result=false (the client then throws QdrantException).
    public override Task<CollectionOperationResponse> Delete(DeleteCollection request, ServerCallContext context) =>
        Task.FromResult(new CollectionOperationResponse { Result = store.Collections.TryRemove(request.CollectionName, out _), Time = 0.001 });

    public override Task<CollectionExistsResponse> CollectionExists(CollectionExistsRequest request, ServerCallContext context) =>
        Task.FromResult(new CollectionExistsResponse { Result = new CollectionExists { Exists = store.Collections.ContainsKey(request.CollectionName) }, Time = 0.001 });
}
