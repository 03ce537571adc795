namespace Theodore.Api.Hosting;

/// <summary>
/// <c>Observability</c>: the service name on every span, metric and log, and the Prometheus scraping endpoint. OTLP
/// export is switched by the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> (and the other <c>OTEL_*</c> variables).
/// </summary>
public sealed class ObservabilityOptions
{
    public const string SectionName = "Observability";

    public string ServiceName { get; set; } = "theodore";

    /// <summary>
    /// Record spans (ASP.NET Core, HttpClient, gRPC client, storage). Unset: on exactly when OTLP export is
    /// (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>), because nothing else reads them, and spans that are recorded and dropped
    /// cost every request. Logs and problem details carry trace ids either way. (False with OTLP on leaves the OTLP
    /// exporter a tracer provider with no sources, which records nothing.)
    /// </summary>
    public bool? TracingEnabled { get; set; }

    /// <summary>Serve <c>/metrics</c> for Prometheus to scrape (no API key, like the health probes).</summary>
    public bool PrometheusEnabled { get; set; } = true;

    public string PrometheusPath { get; set; } = "/metrics";
}
