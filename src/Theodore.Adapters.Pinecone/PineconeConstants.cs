namespace Theodore.Adapters.Pinecone;

/// <summary>Names the adapter shares with its registration, its errors and its telemetry.</summary>
public static class PineconeConstants
{
    /// <summary>The backend's name in capabilities, errors and health (OpenTelemetry's <c>db.system.name</c>).</summary>
    public const string SystemName = "pinecone";

    /// <summary>The API version every request names in <c>X-Pinecone-Api-Version</c>; the wire models follow it.</summary>
    public const string ApiVersion = "2026-04";

    /// <summary>The named HttpClient of the control plane (<c>api.pinecone.io</c>).</summary>
    public const string ControlPlaneClientName = "Theodore.Pinecone.ControlPlane";

    /// <summary>The named HttpClient of the data plane; the base address is each index's host.</summary>
    public const string DataPlaneClientName = "Theodore.Pinecone.DataPlane";

    internal const string ApiKeyHeader = "Api-Key";
    internal const string ApiVersionHeader = "X-Pinecone-Api-Version";
}
