using Microsoft.Extensions.Diagnostics.HealthChecks;
using Theodore.Core.Ports;
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
            return health.Status switch
            {
                CoreHealth.Healthy => HealthCheckResult.Healthy(health.Description, data),
                CoreHealth.Degraded => HealthCheckResult.Degraded(health.Description, data: data),
                _ => HealthCheckResult.Unhealthy(health.Description, data: data),
            };
        }
        catch (Core.Errors.VectorStorageException ex)
        {
            return HealthCheckResult.Unhealthy(ex.Message, ex);
        }
    }
}
