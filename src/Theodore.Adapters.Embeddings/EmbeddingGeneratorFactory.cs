using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Theodore.Adapters.Embeddings;

/// <summary>Builds a new generator of a provider from the configured settings, with the model chosen by the caller.</summary>
public sealed class EmbeddingGeneratorFactory(IOptions<LocalEmbeddingOptions> local)
{
    public IEmbeddingGenerator<string, Embedding<float>> Create(string provider, string? model = null, int? dimensions = null)
    {
        if (!string.Equals(provider, EmbeddingProviders.Local, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException(EmbeddingProviders.UnknownMessage(provider), nameof(provider));
        }

        if (model is not null && !string.Equals(model, "MiniLM", StringComparison.OrdinalIgnoreCase) && !string.Equals(model, LocalEmbeddingConstants.MiniLmModelId, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The local provider has no model '{model}'; use MiniLM.", nameof(model));
        }

        if (dimensions is not null && dimensions != LocalEmbeddingConstants.MiniLmDimension)
        {
            throw new ArgumentException($"all-MiniLM-L6-v2 makes {LocalEmbeddingConstants.MiniLmDimension}-d vectors, not {dimensions}.", nameof(dimensions));
        }

        return LocalEmbeddingGenerator.CreateMiniLm(local.Value);
    }
}
