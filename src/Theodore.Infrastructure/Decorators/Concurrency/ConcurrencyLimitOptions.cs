using System.ComponentModel.DataAnnotations;

namespace Theodore.Infrastructure.Decorators.Concurrency;

/// <summary><c>VectorStorage:Decorators:ConcurrencyLimit</c>: calls in flight, calls waiting, and how long one waits.</summary>
public sealed class ConcurrencyLimitOptions
{
    public const string SectionName = DecoratorDefaults.SectionPrefix + DecoratorDefaults.ConcurrencyLimit;

    /// <summary>On or off; unset means the provider's default (<see cref="DecoratorDefaults"/>).</summary>
    public bool? Enabled { get; set; }

    [Range(1, 100_000)]
    public int PermitLimit { get; set; } = 64;

    /// <summary>Calls that may wait for a slot, oldest first; one more is rejected at once as busy.</summary>
    [Range(0, 1_000_000)]
    public int QueueLimit { get; set; } = 256;

    /// <summary>A queued call that has not got a slot by then is rejected as busy.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan QueueTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>What a rejected caller is told to wait (the HTTP <c>Retry-After</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(1);
}
