using System.ComponentModel.DataAnnotations;

namespace Theodore.Adapters.Pinecone;

/// <summary>
/// Settings of the Pinecone adapter, bound from <see cref="SectionName"/> and validated on start. The API key is a
/// secret: it is sent in the <c>Api-Key</c> header only and never appears in <see cref="ToString"/>, logs or errors.
/// </summary>
public sealed class PineconeOptions
{
    public const string SectionName = "VectorStorage:Pinecone";

    public const string DefaultControlPlaneEndpoint = "https://api.pinecone.io";

    /// <summary>The project's API key (required).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ApiKey { get; set; } = string.Empty;

    /// <summary>
    /// The control plane, <c>https://api.pinecone.io</c> by default. An <c>http://</c> endpoint is allowed for Pinecone
    /// Local and test fakes; index hosts returned without a scheme are then reached over the same scheme.
    /// </summary>
    [Required(AllowEmptyStrings = false)]
    public string ControlPlaneEndpoint { get; set; } = DefaultControlPlaneEndpoint;

    /// <summary>Where new serverless indexes live: <c>aws</c>, <c>gcp</c> or <c>azure</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Cloud { get; set; } = "aws";

    /// <summary>The cloud region of new serverless indexes, e.g. <c>us-east-1</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string Region { get; set; } = "us-east-1";

    /// <summary>Creates indexes with deletion protection on; deleting one then fails until it is turned off in Pinecone.</summary>
    public bool DeletionProtection { get; set; }

    /// <summary>The time one HTTP attempt may take before it is abandoned as a <see cref="Core.Errors.StorageTimeoutException"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long <c>CreateIndexAsync</c> waits for a new index to report ready.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan IndexReadyTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a new index's readiness is polled while waiting.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00")]
    public TimeSpan IndexReadyPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upsert, fetch and delete requests of one batch call in flight at once (also capped by the batch's own option).</summary>
    [Range(1, 64)]
    public int MaxParallelism { get; set; } = 4;

    public override string ToString() =>
        $"Pinecone {{ ControlPlaneEndpoint = {ControlPlaneEndpoint}, Cloud = {Cloud}, Region = {Region}, DeletionProtection = {DeletionProtection}, ApiKey = {(string.IsNullOrEmpty(ApiKey) ? "(none)" : "***")} }}";
}
