using System.Text.Json.Serialization;

namespace Theodore.Adapters.Pinecone.Wire;

/// <summary>
/// Source-generated serialization of every wire type: no reflection at run time, nulls left out as Pinecone's SDKs
/// do, names from the attributes (the control plane is snake_case, the data plane camelCase).
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateIndexRequest))]
[JsonSerializable(typeof(IndexModel))]
[JsonSerializable(typeof(IndexList))]
[JsonSerializable(typeof(ControlPlaneError))]
[JsonSerializable(typeof(UpsertRequest))]
[JsonSerializable(typeof(UpsertResponse))]
[JsonSerializable(typeof(PineconeVector))]
[JsonSerializable(typeof(QueryRequest))]
[JsonSerializable(typeof(QueryResponse))]
[JsonSerializable(typeof(FetchResponse))]
[JsonSerializable(typeof(DeleteRequest))]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(UpdateRequest))]
[JsonSerializable(typeof(UpdateResponse))]
[JsonSerializable(typeof(ListResponse))]
[JsonSerializable(typeof(DescribeIndexStatsRequest))]
[JsonSerializable(typeof(IndexDescription))]
[JsonSerializable(typeof(RpcStatus))]
[JsonSerializable(typeof(string))]
internal sealed partial class PineconeJsonContext : JsonSerializerContext;
