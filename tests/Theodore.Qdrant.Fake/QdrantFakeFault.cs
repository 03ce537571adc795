using Grpc.Core;

namespace Theodore.Qdrant.Fake;

/// <summary>
/// An injected failure: the next <paramref name="Count"/> calls (of <paramref name="Rpc"/> only, when given, e.g.
/// <c>Points/Upsert</c>) fail with <paramref name="Status"/>, <paramref name="Detail"/> and the trailers, as a real server
/// answers (for instance <c>retry-after</c> on RESOURCE_EXHAUSTED).
/// </summary>
public sealed record QdrantFakeFault(StatusCode Status, string Detail, int Count = 1, string? Rpc = null, IReadOnlyDictionary<string, string>? Trailers = null);
