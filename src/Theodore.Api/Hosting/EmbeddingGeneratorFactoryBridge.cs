using Microsoft.Extensions.AI;
using Theodore.Adapters.Embeddings;
using Theodore.Application.Embeddings;

namespace Theodore.Api.Hosting;

/// <summary>The application's port for a second generator, served by the embeddings adapter's factory.</summary>
internal sealed class EmbeddingGeneratorFactoryBridge(EmbeddingGeneratorFactory factory) : IEmbeddingGeneratorFactory
{
    public IEmbeddingGenerator<string, Embedding<float>> Create(string provider, string? model = null, int? dimensions = null) =>
        factory.Create(provider, model, dimensions);
}
