namespace Theodore.Adapters.Embeddings;

/// <summary>The names <c>Embeddings:Provider</c> accepts (in any case), and the provider names the generators report.</summary>
public static class EmbeddingProviders
{
    /// <summary>A model shipped in a package, run in-process (<c>Embeddings:Local</c>).</summary>
    public const string Local = "Local";

    /// <summary>An OpenAI-compatible <c>/embeddings</c> endpoint: OpenAI, Azure OpenAI, Ollama, vLLM (<c>Embeddings:OpenAI</c>).</summary>
    public const string OpenAI = "OpenAI";

    /// <summary>Cohere's <c>/v2/embed</c> (<c>Embeddings:Cohere</c>).</summary>
    public const string Cohere = "Cohere";

    /// <summary><see cref="Microsoft.Extensions.AI.EmbeddingGeneratorMetadata.ProviderName"/> of the OpenAI-compatible generator.</summary>
    public const string OpenAIProviderName = "openai";

    /// <summary><see cref="Microsoft.Extensions.AI.EmbeddingGeneratorMetadata.ProviderName"/> of the Cohere generator.</summary>
    public const string CohereProviderName = "cohere";

    public static IReadOnlyList<string> Known { get; } = [Local, OpenAI, Cohere];

    public static bool IsKnown(string? provider) => Known.Contains(provider, StringComparer.OrdinalIgnoreCase);

    /// <summary>The known name <paramref name="provider"/> stands for, in its canonical spelling; null when unknown.</summary>
    public static string? Canonical(string? provider) => Known.FirstOrDefault(k => string.Equals(k, provider, StringComparison.OrdinalIgnoreCase));

    public static string UnknownMessage(string? provider) =>
        $"Embeddings:Provider '{provider}' is not a known embedding provider; use one of: {string.Join(", ", Known)}.";
}
