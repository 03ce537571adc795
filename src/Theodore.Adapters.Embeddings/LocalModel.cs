namespace Theodore.Adapters.Embeddings;

/// <summary>Identity of a model a package ships: what the generator reports and an index records.</summary>
public sealed record LocalModel(string ModelId, string Version, int Dimension)
{
    public static LocalModel MiniLm { get; } = new(LocalEmbeddingConstants.MiniLmModelId, LocalEmbeddingConstants.MiniLmVersion, LocalEmbeddingConstants.MiniLmDimension);
}
