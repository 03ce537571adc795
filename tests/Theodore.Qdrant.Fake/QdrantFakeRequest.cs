namespace Theodore.Qdrant.Fake;

/// <summary>
/// One call the fake received: the RPC (<c>Points/Query</c>, <c>Collections/Create</c>, <c>Qdrant/HealthCheck</c>), the
/// collection it names, the serialized message size, the <c>api-key</c> header as sent, the message as JSON (or a
/// summary when large), how many points it carried (upserts) and the status it was answered with.
/// </summary>
public sealed record QdrantFakeRequest(
    string Rpc,
    string? Collection,
    int MessageBytes,
    string? ApiKey,
    string Message,
    int PointCount,
    DateTimeOffset ReceivedAt)
{
    /// <summary>The gRPC status code the call ended with (0 = OK); set when the call finished.</summary>
    public int StatusCode { get; internal set; }
}
