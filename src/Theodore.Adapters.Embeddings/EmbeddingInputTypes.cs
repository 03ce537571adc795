using Microsoft.Extensions.AI;

namespace Theodore.Adapters.Embeddings;

/// <summary>
/// Whether the texts of a call are documents (stored, then searched) or queries (searched with). Asymmetric models embed
/// the two differently: Arctic embed prefixes queries, Cohere takes an <c>input_type</c>. Callers say it through
/// <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>[<see cref="OptionKey"/>]; without it the texts are
/// documents. The Application layer spells the same strings (it cannot reference this adapter); a test keeps them equal.
/// </summary>
public static class EmbeddingInputTypes
{
    /// <summary>Key in <see cref="EmbeddingGenerationOptions.AdditionalProperties"/>.</summary>
    public const string OptionKey = "theodore:embedding-input-type";

    /// <summary>Texts that are stored and searched (the default).</summary>
    public const string Document = "document";

    /// <summary>Texts that are searched with.</summary>
    public const string Query = "query";

    /// <summary>Options that mark the texts of a call as queries.</summary>
    public static EmbeddingGenerationOptions ForQueries() => new() { AdditionalProperties = new() { [OptionKey] = Query } };

    /// <summary>Options that mark the texts of a call as documents (the same as no options).</summary>
    public static EmbeddingGenerationOptions ForDocuments() => new() { AdditionalProperties = new() { [OptionKey] = Document } };

    /// <summary>True when <paramref name="options"/> mark the texts as queries; throws for a value that is neither.</summary>
    public static bool IsQuery(EmbeddingGenerationOptions? options)
    {
        if (options?.AdditionalProperties is not { } properties || !properties.TryGetValue(OptionKey, out var value) || value is null)
        {
            return false;
        }

        return value switch
        {
            string s when string.Equals(s, Query, StringComparison.OrdinalIgnoreCase) => true,
            string s when string.Equals(s, Document, StringComparison.OrdinalIgnoreCase) => false,
            _ => throw new ArgumentException($"AdditionalProperties[\"{OptionKey}\"] is '{value}'; use \"{Document}\" or \"{Query}\".", nameof(options)),
        };
    }
}
