using Microsoft.Extensions.AI;

namespace Theodore.Application.Embeddings;

/// <summary>Texts to vectors through a generator, checking it answered one vector of the promised size per text.</summary>
internal static class Embedder
{
    public static async Task<ReadOnlyMemory<float>[]> EmbedAsync(
        IEmbeddingGenerator<string, Embedding<float>> generator,
        IReadOnlyList<string> texts,
        int dimension,
        EmbeddingGenerationOptions options,
        CancellationToken cancellationToken)
    {
        if (texts.Count == 0)
        {
            return [];
        }

        var embeddings = await generator.GenerateAsync(texts, options, cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != texts.Count)
        {
            throw new InvalidOperationException($"The embedding generator returned {embeddings.Count} vectors for {texts.Count} texts.");
        }

        var vectors = new ReadOnlyMemory<float>[texts.Count];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = embeddings[i].Vector;
            if (vectors[i].Length != dimension)
            {
                throw new InvalidOperationException($"The embedding generator returned a {vectors[i].Length}-d vector; its contract promises {dimension}.");
            }
        }

        return vectors;
    }
}
