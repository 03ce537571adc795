using Microsoft.Extensions.AI;

namespace Theodore.Application.Embeddings;

/// <summary>
/// Builds a generator on demand from the configured provider settings, with the model (and dimensions) chosen by the
/// caller: re-embedding needs the new generator beside the one serving. The caller owns and disposes what it gets.
/// </summary>
public interface IEmbeddingGeneratorFactory
{
    /// <summary>A new generator; <see cref="ArgumentException"/> naming the choices for an unknown provider or model.</summary>
    IEmbeddingGenerator<string, Embedding<float>> Create(string provider, string? model = null, int? dimensions = null);
}
