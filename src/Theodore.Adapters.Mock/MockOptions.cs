using System.ComponentModel.DataAnnotations;

namespace Theodore.Adapters.Mock;

/// <summary>Fault injection for the mock backend; all off by default so it behaves as a plain exact store.</summary>
public sealed class MockOptions
{
    public const string SectionName = "VectorStorage:Mock";

    public const int MaxLatencyMs = 60_000;

    /// <summary>Delay added to every call, in milliseconds, measured on the injected <see cref="TimeProvider"/>.</summary>
    [Range(0, MaxLatencyMs)]
    public int LatencyMs { get; set; }

    /// <summary>Share of calls, 0 to 1, that fail with a transient <see cref="Core.Errors.StorageUnavailableException"/>.</summary>
    [Range(0.0, 1.0)]
    public double ErrorRate { get; set; }

    /// <summary>Seed of the fault dice, so a run with the same calls fails at the same calls.</summary>
    public int Seed { get; set; } = 42;
}
