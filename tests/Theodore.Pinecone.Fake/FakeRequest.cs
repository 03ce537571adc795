namespace Theodore.Pinecone.Fake;

/// <summary>One request the fake received: where, which operation, how big, how many vectors, and the status it answered.</summary>
/// <param name="Plane">"control" or "data".</param>
/// <param name="Index">The index whose host received it (data plane), or null.</param>
/// <param name="VectorCount">Vectors in an upsert body, ids in a fetch or delete; 0 otherwise.</param>
/// <param name="Query">The query string, e.g. <c>?ids=a&amp;ids=b</c>.</param>
/// <param name="Body">The body when it is at most 64 KB (larger ones are only measured).</param>
public sealed record FakeRequest(
    string Plane,
    string Method,
    string Path,
    string Host,
    string? Operation,
    string? Index,
    long BodyBytes,
    int VectorCount,
    int Status,
    DateTimeOffset At,
    string Query,
    string? Body);

/// <summary>A body the official schema does not allow, which the fake answered with 400.</summary>
public sealed record SpecViolation(string Plane, string Method, string Path, string? Operation, IReadOnlyList<string> Problems, string Body);

/// <summary>
/// An answer the fake gives instead of serving: <paramref name="Status"/> with <paramref name="RetryAfter"/> as the
/// <c>Retry-After</c> header when set, <paramref name="Times"/> times, to requests whose path contains
/// <paramref name="PathContains"/> (any when null) on <paramref name="Plane"/> ("control", "data" or null for both).
/// <paramref name="Body"/> and <paramref name="ContentType"/> replace the usual error body when set. With
/// <paramref name="Delay"/> the answer comes that much later; a delayed fault of status 200 serves the request normally
/// after the delay (a slow backend).
/// </summary>
public sealed record FakeFault(int Status, string? RetryAfter = null, int Times = 1, string? PathContains = null, string? Plane = null, string? Body = null, string? ContentType = null, TimeSpan? Delay = null);
