namespace Theodore.Core.Domain;

public enum HealthStatus
{
    Healthy,
    Degraded,
    Unhealthy,
}
