using System.ComponentModel.DataAnnotations;

namespace Theodore.Infrastructure.Providers;

/// <summary>The <c>VectorStorage</c> section: which backend serves the port.</summary>
public sealed class VectorStorageOptions
{
    public const string SectionName = "VectorStorage";

    /// <summary>
    /// A registered provider name, matched case-insensitively: Native (the default), Qdrant, Pinecone or Mock (the API
    /// registers them). Each provider's own settings are in the section of its name, e.g. <c>VectorStorage:Qdrant</c>.
    /// </summary>
    [Required]
    public string Provider { get; set; } = VectorStorageProviders.DefaultProvider;
}
