using Microsoft.Extensions.Diagnostics.HealthChecks;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Decorators.Resilience;
using CoreHealth = Theodore.Core.Domain.HealthStatus;

namespace Theodore.Api.Health;

/// <summary>Readiness: the configured storage backend answers and says it is healthy.</summary>
public sealed class StorageHealthCheck(IVectorStorage storage) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var health = await storage.CheckHealthAsync(cancellationToken).ConfigureAwait(false);
            var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["system"] = health.SystemName };
            AddDecoratorState(data);
            return health.Status switch
            {
                CoreHealth.Healthy => HealthCheckResult.Healthy(health.Description, data),
                CoreHealth.Degraded => HealthCheckResult.Degraded(health.Description, data: data),
                _ => HealthCheckResult.Unhealthy(health.Description, data: data),
            };
        }
        catch (Core.Errors.VectorStorageException ex)
        {
            var data = new Dictionary<string, object>(StringComparer.Ordinal);
            AddDecoratorState(data);
            return HealthCheckResult.Unhealthy(ex.Message, ex, data);
        }
    }

    /// <summary>
    /// The circuit's state and the cache's statistics, when those decorators are in the stack, and the memory in use
    /// and its budget when the backend enforces one.
    /// </summary>
    private void AddDecoratorState(Dictionary<string, object> data)
    {
        if (storage.GetService<IMemoryBudgetedStorage>() is { } budgeted)
        {
            var memory = budgeted.GetMemoryBudget();
            data["memoryBytes"] = memory.UsedBytes;
            if (memory.BudgetBytes is { } budget)
            {
                data["memoryBudgetBytes"] = budget;
            }
        }

        if (storage.GetService<ResilienceVectorStorage>() is { } resilience)
        {
            data["circuit"] = resilience.CircuitState.ToString();
        }

        if (storage.GetService<ICacheableVectorStorage>() is { } cache)
        {
            data["cache"] = cache.GetStatistics();
        }
    }
}
