using Microsoft.Extensions.AI;

namespace Theodore.Application.Embeddings;

/// <summary>
/// Whether texts are documents to store or queries to search with, told to a generator through
/// <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>. Asymmetric models (Arctic embed, Cohere) embed the
/// two differently; symmetric ones ignore it. The generators' project spells the same key (ADR 0011); a test keeps
/// the two equal.
/// </summary>
public static class EmbeddingInputTypes
{
    public const string PropertyKey = "theodore:embedding-input-type";
    public const string Document = "document";
    public const string Query = "query";

    public static EmbeddingGenerationOptions DocumentOptions() => For(Document);

    public static EmbeddingGenerationOptions QueryOptions() => For(Query);

    private static EmbeddingGenerationOptions For(string inputType) =>
        new() { AdditionalProperties = new AdditionalPropertiesDictionary { [PropertyKey] = inputType } };
}
