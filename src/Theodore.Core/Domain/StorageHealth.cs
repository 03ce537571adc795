namespace Theodore.Core.Domain;

/// <summary>The backend's health and, when it is not healthy, why.</summary>
public sealed record StorageHealth(HealthStatus Status, string SystemName, string? Description = null);
