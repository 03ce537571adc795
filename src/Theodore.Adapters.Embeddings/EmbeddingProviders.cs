namespace Theodore.Adapters.Embeddings;

/// <summary>The names <c>Embeddings:Provider</c> accepts.</summary>
public static class EmbeddingProviders
{
    public const string Local = "Local";

    public static IReadOnlyList<string> Known { get; } = [Local];

    public static bool IsKnown(string? provider) => Known.Contains(provider, StringComparer.OrdinalIgnoreCase);

    public static string UnknownMessage(string? provider) =>
        $"Embeddings:Provider '{provider}' is not a known embedding provider; use one of: {string.Join(", ", Known)}.";
}
