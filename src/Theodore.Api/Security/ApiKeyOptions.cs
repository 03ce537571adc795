using System.ComponentModel.DataAnnotations;

namespace Theodore.Api.Security;

/// <summary>One API key. The name appears in logs and rate-limit partitions; the key never does.</summary>
public sealed class ApiKeyOptions
{
    [Required]
    public string Name { get; set; } = string.Empty;

    [Required]
    [MinLength(16)]
    public string Key { get; set; } = string.Empty;

    /// <summary>A read-only key may read and query but gets 403 on any write.</summary>
    public bool ReadOnly { get; set; }
}
