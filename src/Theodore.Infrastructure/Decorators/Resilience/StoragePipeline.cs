using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using Theodore.Core.Errors;

namespace Theodore.Infrastructure.Decorators.Resilience;

/// <summary>
/// The storage pipeline, outermost first as in the standard HTTP handler: total timeout, retry, circuit breaker,
/// attempt timeout. One pipeline serves every operation; the context's operation key (a <see cref="StorageOperations"/>
/// name) says whether the call may be retried.
/// </summary>
public static class StoragePipeline
{
    public const string Name = "theodore-vector-storage";

    public static ResiliencePipelineBuilder Configure(ResiliencePipelineBuilder builder, ResilienceOptions options, CircuitBreakerStateProvider circuit)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(circuit);

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "total-timeout", Timeout = options.TotalTimeout });
        if (options.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                Name = "retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = options.UseJitter,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                // the context's operation key is the operation's name; only a failure pays for the look-up
                ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome.Exception) && args.Context.OperationKey is { } operation && StorageOperations.IsIdempotent(operation)),
                DelayGenerator = static args => ValueTask.FromResult(args.Outcome.Exception is VectorStorageException { RetryAfter: { } after } ? after : (TimeSpan?)null),
            });
        }

        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            Name = "circuit-breaker",
            FailureRatio = options.FailureRatio,
            MinimumThroughput = options.MinimumThroughput,
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
            StateProvider = circuit,
            ShouldHandle = static args => ValueTask.FromResult(IsTransient(args.Outcome.Exception)),
        });
        builder.AddTimeout(new TimeoutStrategyOptions { Name = "attempt-timeout", Timeout = options.AttemptTimeout });
        return builder;
    }

    /// <summary>What the backend may do differently next time: its transient errors and an attempt that timed out.</summary>
    public static bool IsTransient(Exception? exception) =>
        exception is TimeoutRejectedException or VectorStorageException { IsTransient: true } && exception is not (CircuitOpenException or BrokenCircuitException);
}
