using System.ComponentModel.DataAnnotations;

namespace Theodore.Api.Hosting;

/// <summary>A fixed window per client (API key, or remote address when keys are off).</summary>
public sealed class RateLimitOptions
{
    public bool Enabled { get; set; } = true;

    [Range(1, int.MaxValue)]
    public int PermitLimit { get; set; } = 1000;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 1;
}
