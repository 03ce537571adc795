using Microsoft.Extensions.AI;
using Theodore.Application.Embeddings;

namespace Theodore.Application.Tests.Companies;

/// <summary>A generator of 3-d unit vectors (one per text, from its length) that records every call and its options.</summary>
internal sealed class CountingGenerator(string model = "model-a", string version = "1") : IEmbeddingGenerator<string, Embedding<float>>
{
    public List<(string[] Texts, EmbeddingGenerationOptions? Options)> Calls { get; } = [];

    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.ToArray();
        Calls.Add((texts, options));
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(texts.Select(t =>
        {
            var angle = t.Length / 10f;
            return new Embedding<float>(new[] { MathF.Cos(angle), MathF.Sin(angle), 0f });
        })));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey switch
    {
        null when serviceType == typeof(EmbeddingGeneratorMetadata) => new EmbeddingGeneratorMetadata("test", null, model, 3),
        GeneratorContract.ModelVersionServiceKey when serviceType == typeof(string) => version,
        GeneratorContract.NormalizedServiceKey when serviceType == typeof(bool) => true,
        _ => null,
    };

    public void Dispose()
    {
    }
}
