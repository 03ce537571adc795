namespace Theodore.Adapters.Embeddings;

/// <summary>
/// Identity of a model a package ships: what the generator reports and an index records. <see cref="QueryPrefix"/> is
/// put before each query text (never before documents) for models trained that way.
/// </summary>
public sealed record LocalModel(string ModelId, string Version, int Dimension, string? QueryPrefix = null)
{
    public static LocalModel MiniLm { get; } = new(LocalEmbeddingConstants.MiniLmModelId, LocalEmbeddingConstants.MiniLmVersion, LocalEmbeddingConstants.MiniLmDimension);

    public static LocalModel ArcticXs { get; } = new(LocalEmbeddingConstants.ArcticXsModelId, LocalEmbeddingConstants.ArcticXsVersion, LocalEmbeddingConstants.ArcticXsDimension, LocalEmbeddingConstants.ArcticXsQueryPrefix);

    /// <summary>The names <c>Embeddings:Local:Model</c> accepts, with the model each stands for.</summary>
    public static IReadOnlyDictionary<string, LocalModel> Known { get; } = new Dictionary<string, LocalModel>(StringComparer.OrdinalIgnoreCase)
    {
        [LocalEmbeddingConstants.MiniLmName] = MiniLm,
        [LocalEmbeddingConstants.ArcticXsName] = ArcticXs,
    };

    /// <summary>The model named by <paramref name="name"/>: a short name (<c>MiniLM</c>, <c>ArcticXs</c>) or a model id, in any case.</summary>
    public static LocalModel? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        if (Known.TryGetValue(name, out var model))
        {
            return model;
        }

        return Known.Values.FirstOrDefault(m => string.Equals(m.ModelId, name, StringComparison.OrdinalIgnoreCase));
    }

    public static string UnknownMessage(string? name) =>
        $"'{name}' is not a local embedding model; use one of: {string.Join(", ", Known.Keys)}.";
}
