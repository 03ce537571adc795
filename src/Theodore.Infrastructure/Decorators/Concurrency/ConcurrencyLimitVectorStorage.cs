using System.Threading.RateLimiting;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Decorators.Concurrency;

/// <summary>
/// A bulkhead: at most <see cref="ConcurrencyLimitOptions.PermitLimit"/> calls in flight and
/// <see cref="ConcurrencyLimitOptions.QueueLimit"/> waiting, oldest first. A call beyond the queue, or one that waits
/// longer than <see cref="ConcurrencyLimitOptions.QueueTimeout"/>, fails at once with the transient
/// <see cref="StorageBusyException"/> and a RetryAfter. Covers the batch and streaming ports (a scan holds a slot per
/// page, not for the whole stream). Health checks skip the queue: a full bulkhead must not make the service look dead.
/// </summary>
public sealed class ConcurrencyLimitVectorStorage : GuardedVectorStorage, IDisposable
{
    private readonly ConcurrencyLimiter _limiter;
    private readonly ConcurrencyLimitOptions _options;
    private readonly TimeProvider _time;

    public ConcurrencyLimitVectorStorage(IVectorStorage inner, ConcurrencyLimitOptions options, TimeProvider? time = null)
        : base(inner)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _time = time ?? TimeProvider.System;
        _limiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = options.PermitLimit,
            QueueLimit = options.QueueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Calls in flight (leased) and waiting now.</summary>
    public (long InFlight, long Queued) Load
    {
        get
        {
            var stats = _limiter.GetStatistics();
            return stats is null ? (0, 0) : (_options.PermitLimit - stats.CurrentAvailablePermits, stats.CurrentQueuedCount);
        }
    }

    public void Dispose() => _limiter.Dispose();

    protected override async ValueTask<TResult> RunAsync<TState, TResult>(string operation, IndexName? index, TState state, Func<TState, CancellationToken, ValueTask<TResult>> backendCall, CancellationToken cancellationToken)
    {
        using var lease = await AcquireAsync(operation, index, cancellationToken).ConfigureAwait(false);
        return await backendCall(state, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask<RateLimitLease> AcquireAsync(string operation, IndexName? index, CancellationToken cancellationToken)
    {
        // the common case takes a free slot without a timer; only a call that has to queue pays for its timeout
        var lease = _limiter.AttemptAcquire(1);
        if (lease.IsAcquired)
        {
            return ValueTask.FromResult(lease);
        }

        lease.Dispose();
        return QueueAsync(operation, index, cancellationToken);
    }

    private async ValueTask<RateLimitLease> QueueAsync(string operation, IndexName? index, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(_options.QueueTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        RateLimitLease lease;
        try
        {
            lease = await _limiter.AcquireAsync(1, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw Busy(operation, index, $"waited {_options.QueueTimeout.TotalSeconds:0.###} s for a slot");
        }

        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        throw Busy(operation, index, $"{_options.PermitLimit} calls are in flight and {_options.QueueLimit} waiting");
    }

    private StorageBusyException Busy(string operation, IndexName? index, string why) =>
        new($"The '{Inner.Capabilities.SystemName}' storage is busy: {why}.")
        {
            RetryAfter = _options.RetryAfter,
            SystemName = Inner.Capabilities.SystemName,
            Index = index?.Value,
            Operation = operation,
        };
}
