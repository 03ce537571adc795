using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Refit;
using Theodore.Adapters.Pinecone.Wire;

namespace Theodore.Adapters.Pinecone;

public static class PineconeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PineconeVectorStorage"/> as a singleton with <see cref="PineconeOptions"/> bound from
    /// <see cref="PineconeOptions.SectionName"/> and validated on start (the API key is required). Exposing it as the
    /// port is the provider selection's job.
    /// <para>
    /// Both HttpClients come from <see cref="IHttpClientFactory"/> with one resilience strategy: an attempt timeout
    /// (<see cref="PineconeOptions.RequestTimeout"/>). No retry and no circuit breaker here: the port's resilience
    /// decorator retries transient errors, so a request is never retried two layers deep. The <c>Api-Key</c> header is
    /// redacted from the factory's logs.
    /// </para>
    /// </summary>
    public static IServiceCollection AddPineconeVectorStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<PineconeOptions>()
            .BindConfiguration(PineconeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PineconeOptions>, PineconeOptionsValidator>());
        services.TryAddTransient<PineconeHeadersHandler>();

        var refit = new RefitSettings(new SystemTextJsonContentSerializer(PineconeJsonContext.Default.Options));
        services.AddRefitGeneratedClient<IPineconeControlPlane>(PineconeJsonContext.Default, _ => refit, PineconeConstants.ControlPlaneClientName)
            .ConfigureHttpClient((sp, http) =>
            {
                http.BaseAddress = new Uri(sp.GetRequiredService<IOptions<PineconeOptions>>().Value.ControlPlaneEndpoint, UriKind.Absolute);
                http.Timeout = Timeout.InfiniteTimeSpan;
            })
            .AddHttpMessageHandler<PineconeHeadersHandler>()
            .RedactLoggedHeaders([PineconeConstants.ApiKeyHeader])
            .AddResilienceHandler("pinecone-control-attempt-timeout", AttemptTimeoutOnly);
        services.AddHttpClient(PineconeConstants.DataPlaneClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<PineconeHeadersHandler>()
            .RedactLoggedHeaders([PineconeConstants.ApiKeyHeader])
            .AddResilienceHandler("pinecone-data-attempt-timeout", AttemptTimeoutOnly);

        services.TryAddSingleton(sp => new PineconeVectorStorage(
            sp.GetRequiredService<IOptions<PineconeOptions>>(),
            sp.GetRequiredService<IPineconeControlPlane>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            refit,
            sp.GetService<ILogger<PineconeVectorStorage>>(),
            sp.GetService<TimeProvider>()));
        return services;
    }

    /// <summary>As <see cref="AddPineconeVectorStorage(IServiceCollection)"/>, then <paramref name="configure"/> on top of the bound section.</summary>
    public static IServiceCollection AddPineconeVectorStorage(this IServiceCollection services, Action<PineconeOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        services.AddPineconeVectorStorage();
        services.Configure(configure);
        return services;
    }

    private static void AttemptTimeoutOnly(Polly.ResiliencePipelineBuilder<HttpResponseMessage> builder, ResilienceHandlerContext context)
    {
        var options = context.ServiceProvider.GetRequiredService<IOptions<PineconeOptions>>().Value;
        builder.AddTimeout(options.RequestTimeout);
    }
}
