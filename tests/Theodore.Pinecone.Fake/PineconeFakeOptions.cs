namespace Theodore.Pinecone.Fake;

/// <summary>How a <see cref="PineconeFake"/> behaves.</summary>
public sealed record PineconeFakeOptions
{
    /// <summary>The only key the fake accepts in <c>Api-Key</c>; anything else is 401.</summary>
    public string ApiKey { get; init; } = "fake-pinecone-key";

    /// <summary>Writes (upsert, update, delete) become visible to reads this long after they were acknowledged; zero by default.</summary>
    public TimeSpan VisibilityDelay { get; init; }

    /// <summary>A new index reports <c>Initializing</c> for this long after its creation, then <c>Ready</c>.</summary>
    public TimeSpan IndexReadyDelay { get; init; }

    /// <summary>Upsert body limit: Pinecone's 2 MB, enforced as 2,000,000 bytes.</summary>
    public int MaxUpsertBytes { get; init; } = 2_000_000;
}
