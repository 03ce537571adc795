using System.ComponentModel.DataAnnotations;

namespace Theodore.Infrastructure.Providers;

/// <summary>The <c>VectorStorage</c> section: which backend serves the port.</summary>
public sealed class VectorStorageOptions
{
    public const string SectionName = "VectorStorage";

    /// <summary>A registered provider name, matched case-insensitively: Native or Mock today (the API registers them).</summary>
    [Required]
    public string Provider { get; set; } = VectorStorageProviders.DefaultProvider;
}
