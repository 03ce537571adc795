namespace Theodore.Adapters.Embeddings;

/// <summary>The <c>Embeddings</c> section: which generator turns texts into vectors.</summary>
public sealed class EmbeddingsOptions
{
    public const string SectionName = "Embeddings";

    /// <summary><c>Local</c> (the default, a model shipped in a package), <c>OpenAI</c> or <c>Cohere</c>, in any case.</summary>
    public string Provider { get; set; } = EmbeddingProviders.Local;
}
