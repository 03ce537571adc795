using System.ComponentModel.DataAnnotations;

namespace Theodore.Infrastructure.Decorators.Telemetry;

/// <summary><c>VectorStorage:Decorators:Telemetry</c>: spans and metrics of every storage call.</summary>
public sealed class TelemetryOptions
{
    public const string SectionName = DecoratorDefaults.SectionPrefix + DecoratorDefaults.Telemetry;

    /// <summary>On or off; unset means on for every provider.</summary>
    public bool? Enabled { get; set; }

    /// <summary>How old the vectors-per-index and backup-age gauges may get before a scrape refreshes them in the background.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan GaugeRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);
}
