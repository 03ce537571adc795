namespace Theodore.Qdrant.Fake;

/// <summary>How a <see cref="QdrantFake"/> behaves; the defaults are a plain single-node Qdrant v1.19.0 without auth.</summary>
public sealed class QdrantFakeOptions
{
    /// <summary>When set, every call must carry this value in the <c>api-key</c> header, or it fails UNAUTHENTICATED.</summary>
    public string? ApiKey { get; set; }

    /// <summary>The version the health check reports.</summary>
    public string Version { get; set; } = "1.19.0";

    /// <summary>A pause before every call is served, to make concurrency observable in tests.</summary>
    public TimeSpan ResponseDelay { get; set; }

    /// <summary>
    /// How long every Query works before it answers, to stand for a slow search. A query whose <c>timeout</c> (seconds) is
    /// shorter is answered DEADLINE_EXCEEDED once that timeout passes, as Qdrant answers a search that ran out of time;
    /// a query the client cancels stops waiting at once.
    /// </summary>
    public TimeSpan QueryDuration { get; set; }

    /// <summary>Requests whose message is at most this big are kept in the log as JSON; bigger ones as a summary.</summary>
    public int MaxLoggedMessageBytes { get; set; } = 64 * 1024;
}
