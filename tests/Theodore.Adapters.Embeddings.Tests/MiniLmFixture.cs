using Theodore.Adapters.Embeddings;

namespace Theodore.Adapters.Embeddings.Tests;

/// <summary>One loaded model per test class: loading costs about a second, a batch a few milliseconds per text.</summary>
public sealed class MiniLmFixture : IDisposable
{
    public LocalEmbeddingGenerator Generator { get; } = LocalEmbeddingGenerator.CreateMiniLm(new LocalEmbeddingOptions { BatchSize = 4, MaxConcurrency = 2 });

    public void Dispose() => Generator.Dispose();
}
