using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Theodore.Infrastructure.Decorators.Telemetry;

namespace Theodore.Api.Hosting;

/// <summary>
/// OpenTelemetry for the whole service: traces (ASP.NET Core, HttpClient, gRPC client, storage), metrics (the same,
/// plus the runtime's) and logs carrying the current trace and span ids. OTLP export when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set; a Prometheus endpoint unless <c>Observability:PrometheusEnabled</c> is false.
/// Spans are recorded only when something exports them (<see cref="ObservabilityOptions.TracingEnabled"/>).
/// </summary>
public static class Observability
{
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static IServiceCollection AddTheodoreObservability(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(ObservabilityOptions.SectionName).Get<ObservabilityOptions>() ?? new ObservabilityOptions();
        services.Configure<ObservabilityOptions>(configuration.GetSection(ObservabilityOptions.SectionName));

        // log records carry the trace and span of the request they were written in, in every provider
        services.Configure<LoggerFactoryOptions>(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId | ActivityTrackingOptions.ParentId);

        bool otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointVariable]);
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName, serviceVersion: typeof(Observability).Assembly.GetName().Version?.ToString()));
        if (options.TracingEnabled ?? otlp)
        {
            telemetry.WithTracing(tracing => tracing
                .AddSource(StorageInstrumentation.Name)
                .AddAspNetCoreInstrumentation(o => o.Filter = context => !IsScrapeOrProbe(context.Request.Path, options))
                .AddHttpClientInstrumentation()
                .AddGrpcClientInstrumentation());
        }

        telemetry.WithMetrics(metrics =>
            {
                metrics
                    .AddMeter(StorageInstrumentation.Name)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation();
                if (options.PrometheusEnabled)
                {
                    metrics.AddPrometheusExporter();
                }
            })
            .WithLogging(logging => { }, logOptions =>
            {
                logOptions.IncludeFormattedMessage = true;
                logOptions.IncludeScopes = true;
            });

        if (otlp)
        {
            telemetry.UseOtlpExporter();
        }

        return services;
    }

    /// <summary>The Prometheus scraping endpoint, when it is on.</summary>
    public static IEndpointRouteBuilder MapTheodoreMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ObservabilityOptions>>().Value;
        if (options.PrometheusEnabled)
        {
            app.MapPrometheusScrapingEndpoint(options.PrometheusPath);
        }

        return app;
    }

    private static bool IsScrapeOrProbe(PathString path, ObservabilityOptions options) =>
        path.StartsWithSegments(options.PrometheusPath, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase);
}
