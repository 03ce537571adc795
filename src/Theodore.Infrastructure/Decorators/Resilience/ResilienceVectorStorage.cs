using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using Theodore.Core.Domain;
using Theodore.Core.Errors;
using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Decorators.Resilience;

/// <summary>
/// Runs every backend call through the storage pipeline (<see cref="StoragePipeline"/>): timeouts and the breaker for
/// all, retries only for transient errors of idempotent operations (<see cref="StorageOperations"/>). An open circuit
/// surfaces as <see cref="CircuitOpenException"/>, a timeout as <see cref="StorageTimeoutException"/>. Covers the
/// batch, streaming, record-operations and rebuild ports (a scan retries page by page; a mixed batch and starting a
/// rebuild are never retried); backups pass by untouched, and compaction and the expiry sweep run once without
/// timeouts, since they run long on the local engine and must neither time out after 10 s nor run twice.
/// </summary>
public sealed class ResilienceVectorStorage : GuardedVectorStorage
{
    private readonly ResiliencePipeline _pipeline;
    private readonly CircuitBreakerStateProvider _circuit;
    private readonly TimeSpan _breakDuration;

    public ResilienceVectorStorage(IVectorStorage inner, ResiliencePipeline pipeline, CircuitBreakerStateProvider circuit, TimeSpan breakDuration)
        : base(inner)
    {
        _pipeline = pipeline ?? throw new ArgumentNullException(nameof(pipeline));
        _circuit = circuit ?? throw new ArgumentNullException(nameof(circuit));
        _breakDuration = breakDuration;
    }

    /// <summary>The breaker's state: Closed, Open, HalfOpen or Isolated.</summary>
    public CircuitState CircuitState => _circuit.CircuitState;

    /// <summary>The backend's health, checked once (no retry, no breaker): health must report, not hide, an outage.</summary>
    public override async ValueTask<StorageHealth> CheckHealthAsync(CancellationToken cancellationToken = default)
    {
        var health = await Inner.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
        return CircuitState switch
        {
            CircuitState.Closed => health,
            var state => health with
            {
                Status = health.Status == HealthStatus.Unhealthy ? HealthStatus.Unhealthy : HealthStatus.Degraded,
                Description = $"circuit {state}" + (health.Description is null ? string.Empty : "; " + health.Description),
            },
        };
    }

    protected override async ValueTask<TResult> RunAsync<TState, TResult>(string operation, IndexName? index, TState state, Func<TState, CancellationToken, ValueTask<TResult>> backendCall, CancellationToken cancellationToken)
    {
        if (StorageOperations.IsLongRunning(operation))
        {
            // a compaction or sweep rewrites as much as the index holds: a timeout would cut it short and a retry redo it
            return await backendCall(state, cancellationToken).ConfigureAwait(false);
        }

        var context = ResilienceContextPool.Shared.Get(operation, cancellationToken);
        try
        {
            return await _pipeline.ExecuteAsync(static (ctx, s) => s.backendCall(s.state, ctx.CancellationToken), context, (state, backendCall)).ConfigureAwait(false);
        }
        catch (BrokenCircuitException broken)
        {
            throw new CircuitOpenException($"Calls to the '{Inner.Capabilities.SystemName}' backend are suspended after repeated failures.", broken)
            {
                RetryAfter = broken.RetryAfter ?? _breakDuration,
                SystemName = Inner.Capabilities.SystemName,
                Index = index?.Value,
                Operation = operation,
            };
        }
        catch (TimeoutRejectedException timeout)
        {
            throw new StorageTimeoutException($"The '{Inner.Capabilities.SystemName}' backend did not finish {operation} in {timeout.Timeout.TotalSeconds:0.###} s.", timeout)
            {
                SystemName = Inner.Capabilities.SystemName,
                Index = index?.Value,
                Operation = operation,
            };
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }
}
