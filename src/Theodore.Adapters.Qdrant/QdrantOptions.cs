using System.ComponentModel.DataAnnotations;

namespace Theodore.Adapters.Qdrant;

/// <summary>
/// Where Qdrant is and how Theodore talks to it, bound from <see cref="SectionName"/> and validated on start. The API key
/// is sent as the <c>api-key</c> header on every call and never appears in logs, errors or <see cref="ToString"/>.
/// </summary>
public sealed class QdrantOptions
{
    public const string SectionName = "VectorStorage:Qdrant";

    /// <summary>
    /// Qdrant's gRPC endpoint, e.g. <c>http://localhost:6334</c>. <c>http://</c> means HTTP/2 cleartext (h2c, for local
    /// servers and fakes); <c>https://</c> means TLS.
    /// </summary>
    [Required]
    public string Endpoint { get; set; } = "http://localhost:6334";

    /// <summary>Qdrant's API key (or a JWT with RBAC), sent as the <c>api-key</c> header; none when empty.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The deadline of each gRPC call. The resilience decorator owns retries; the adapter makes none.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Shards of each new collection (distributed Qdrant); the server's default when null.</summary>
    [Range(1, 1024)]
    public int? ShardNumber { get; set; }

    /// <summary>Copies of each shard of a new collection (distributed Qdrant); the server's default when null.</summary>
    [Range(1, 64)]
    public int? ReplicationFactor { get; set; }

    /// <summary>
    /// Replicas that must acknowledge a write before it is reported done; at most <see cref="ReplicationFactor"/>. Set it
    /// equal to the replication factor for read-after-write on every replica.
    /// </summary>
    [Range(1, 64)]
    public int? WriteConsistencyFactor { get; set; }

    /// <summary>Most points in one Upsert call; <see cref="Core.Ports.StorageCapabilities.MaxBatchRecords"/>.</summary>
    [Range(1, 100_000)]
    public int MaxBatchRecords { get; set; } = 1000;

    /// <summary>Most bytes (protobuf-encoded points) in one Upsert call; <see cref="Core.Ports.StorageCapabilities.MaxBatchBytes"/>.</summary>
    [Range(64 * 1024, 256 * 1024 * 1024)]
    public long MaxBatchBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Upsert calls of one batch in flight at once.</summary>
    [Range(1, 32)]
    public int MaxParallelUpserts { get; set; } = 2;

    /// <summary>The largest response the channel accepts (big scroll and query pages with vectors), in bytes.</summary>
    [Range(4 * 1024 * 1024, int.MaxValue)]
    public int MaxResponseBytes { get; set; } = 256 * 1024 * 1024;

    public override string ToString() =>
        $"Endpoint={Endpoint}, ApiKey={(string.IsNullOrEmpty(ApiKey) ? "(none)" : "(set)")}, Timeout={Timeout}, ShardNumber={ShardNumber}, " +
        $"ReplicationFactor={ReplicationFactor}, WriteConsistencyFactor={WriteConsistencyFactor}, MaxBatchRecords={MaxBatchRecords}, " +
        $"MaxBatchBytes={MaxBatchBytes}, MaxParallelUpserts={MaxParallelUpserts}";
}
