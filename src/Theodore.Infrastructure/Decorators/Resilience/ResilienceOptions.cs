using System.ComponentModel.DataAnnotations;

namespace Theodore.Infrastructure.Decorators.Resilience;

/// <summary>
/// <c>VectorStorage:Decorators:Resilience</c>. Defaults follow the standard HTTP resilience handler: 30 s in total,
/// 10 s per attempt, 3 retries from 2 s with jitter, a breaker that opens at 10% failures of at least 100 calls in
/// 30 s for 5 s.
/// </summary>
public sealed class ResilienceOptions
{
    public const string SectionName = DecoratorDefaults.SectionPrefix + DecoratorDefaults.Resilience;

    /// <summary>On or off; unset means the provider's default (<see cref="DecoratorDefaults"/>).</summary>
    public bool? Enabled { get; set; }

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt; 0 turns retrying off (the breaker and timeouts stay).</summary>
    [Range(0, 10)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>First backoff; each retry doubles it, with jitter. A backend's RetryAfter replaces it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    public bool UseJitter { get; set; } = true;

    [Range(0.001, 1.0)]
    public double FailureRatio { get; set; } = 0.1;

    [Range(2, int.MaxValue)]
    public int MinimumThroughput { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(5);
}
