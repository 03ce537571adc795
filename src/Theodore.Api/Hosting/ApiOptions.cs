using System.Diagnostics.CodeAnalysis;
using System.ComponentModel.DataAnnotations;
using Theodore.Api.Security;

namespace Theodore.Api.Hosting;

/// <summary>The <c>Api</c> section: keys, request limits and rate limiting.</summary>
public sealed class ApiOptions
{
    public const string SectionName = "Api";

    /// <summary>Largest request body accepted; larger bodies get 413. Default 32 MiB, as Qdrant.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxRequestBodyBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>API keys; authentication is off when the list is empty.</summary>
    [SuppressMessage("Usage", "CA2227", Justification = "Bound from configuration, which needs a setter.")]
    public IList<ApiKeyOptions> Keys { get; set; } = [];

    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>
    /// The deadline of a search whose request gives no <c>timeoutMs</c> (queries, similar and searched companies); past
    /// it the search stops and answers 504 <c>timeout</c>. 0 turns the default off. At most 300,000 (5 minutes).
    /// </summary>
    [Range(0, 300_000)]
    public int DefaultQueryTimeoutMs { get; set; } = 30_000;
}
