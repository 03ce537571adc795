namespace Theodore.Api.Hosting;

/// <summary>
/// <c>Observability</c>: the service name on every span, metric and log, and the Prometheus scraping endpoint. OTLP
/// export is switched by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and the other <c>OTEL_*</c> variables).
/// </summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    public string ServiceName { get; set; } = "theodore";

    /// <summary>Serve <c>/metrics</c> for Prometheus to scrape (no API key, like the health probes).</summary>
    public bool PrometheusEnabled { get; set; } = true;

    public string PrometheusPath { get; set; } = "/metrics";
}
