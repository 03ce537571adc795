using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Diagnostics.Metrics;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Composition;
using Theodore.Infrastructure.Decorators.Caching;
using Theodore.Infrastructure.Decorators.Concurrency;
using Theodore.Infrastructure.Decorators.Resilience;
using Theodore.Infrastructure.Decorators.Telemetry;
using Theodore.Infrastructure.Providers;

namespace Theodore.Infrastructure.Decorators;

/// <summary>
/// The decorators from configuration (<c>VectorStorage:Decorators:&lt;Name&gt;</c>), in ADR 0003's order:
/// Telemetry -> ConcurrencyLimit -> Caching -> Resilience -> adapter. A section's <c>Enabled</c> switches its
/// decorator; unset, the provider's default applies (<see cref="DecoratorDefaults"/>).
/// </summary>
public static class StorageDecorators
{
    /// <summary>The decorators' options (validated on start), the resilience pipeline and the clock they share.</summary>
    public static IServiceCollection AddTheodoreDecorators(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CachingOptions>().BindConfiguration(CachingOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ResilienceOptions>().BindConfiguration(ResilienceOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ConcurrencyLimitOptions>().BindConfiguration(ConcurrencyLimitOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        services.TryAddSingleton(static sp => new StorageInstrumentation(sp.GetService<IMeterFactory>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(static sp => new SearchCache(sp.GetRequiredService<IOptions<CachingOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<CircuitBreakerStateProvider>();
        services.AddResiliencePipeline(StoragePipeline.Name, static (builder, context) =>
        {
            var sp = context.ServiceProvider;
            builder.TimeProvider = sp.GetRequiredService<TimeProvider>();
            StoragePipeline.Configure(builder, sp.GetRequiredService<IOptions<ResilienceOptions>>().Value, sp.GetRequiredService<CircuitBreakerStateProvider>());
        });
        return services;
    }

    /// <summary>Adds every decorator in the default order; each one that is off passes its inner layer through.</summary>
    public static VectorStorageBuilder UseTheodoreDecorators(this VectorStorageBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .Use(static (inner, sp) =>
            {
                var options = sp.GetRequiredService<IOptions<TelemetryOptions>>().Value;
                return IsOn(sp, DecoratorDefaults.Telemetry, options.Enabled)
                    ? new TelemetryVectorStorage(inner, sp.GetRequiredService<StorageInstrumentation>(), options)
                    : inner;
            })
            .Use(static (inner, sp) => IsOn(sp, DecoratorDefaults.ConcurrencyLimit, sp.GetRequiredService<IOptions<ConcurrencyLimitOptions>>().Value.Enabled)
                ? new ConcurrencyLimitVectorStorage(inner, sp.GetRequiredService<IOptions<ConcurrencyLimitOptions>>().Value, sp.GetService<TimeProvider>())
                : inner)
            .Use(static (inner, sp) => IsOn(sp, DecoratorDefaults.Caching, sp.GetRequiredService<IOptions<CachingOptions>>().Value.Enabled)
                ? new CachingVectorStorage(inner, sp.GetRequiredService<SearchCache>(), sp.GetService<StorageInstrumentation>(), sp.GetService<TimeProvider>())
                : inner)
            .Use(static (inner, sp) =>
            {
                var options = sp.GetRequiredService<IOptions<ResilienceOptions>>().Value;
                return IsOn(sp, DecoratorDefaults.Resilience, options.Enabled)
                    ? new ResilienceVectorStorage(
                        inner,
                        sp.GetRequiredService<ResiliencePipelineProvider<string>>().GetPipeline(StoragePipeline.Name),
                        sp.GetRequiredService<CircuitBreakerStateProvider>(),
                        options.BreakDuration)
                    : inner;
            });
    }

    private static bool IsOn(IServiceProvider services, string decorator, bool? configured) =>
        DecoratorDefaults.IsEnabled(decorator, services.GetRequiredService<IOptions<VectorStorageOptions>>().Value.Provider, configured);
}
