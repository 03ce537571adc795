using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Theodore.Adapters.Embeddings.Cohere;
using Theodore.Adapters.Embeddings.OpenAI;

namespace Theodore.Adapters.Embeddings;

public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>Where the standard resilience handler of both remote providers can be tuned (<see cref="HttpStandardResilienceOptions"/>).</summary>
    public const string ResilienceSectionName = "Embeddings:Resilience";

    /// <summary>
    /// The generator <c>Embeddings:Provider</c> names (<c>Local</c> by default; <c>OpenAI</c>, <c>Cohere</c>) as the
    /// single <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, built by the <see cref="EmbeddingGeneratorFactory"/>
    /// (also registered, for a second generator at run time), plus the warm-up that loads a local model before the
    /// first request. Everything is checked at start: an unknown provider fails naming the known ones, a remote one
    /// without its API key fails naming the setting.
    /// <para>
    /// The remote providers' HttpClients come from <see cref="IHttpClientFactory"/> with the standard resilience
    /// handler (retries of 429 honouring <c>Retry-After</c>, 5xx and timeouts; attempt timeout 30 s, total 2 min;
    /// circuit breaker), tunable under <see cref="ResilienceSectionName"/>. The <c>Authorization</c> header is redacted
    /// from the factory's logs.
    /// </para>
    /// </summary>
    public static IServiceCollection AddTheodoreEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<EmbeddingsOptions>()
            .Bind(configuration.GetSection(EmbeddingsOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmbeddingsOptions>, EmbeddingsOptionsValidator>());
        services.AddOptions<LocalEmbeddingOptions>()
            .Bind(configuration.GetSection(LocalEmbeddingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<OpenAIEmbeddingOptions>()
            .Bind(configuration.GetSection(OpenAIEmbeddingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<CohereEmbeddingOptions>()
            .Bind(configuration.GetSection(CohereEmbeddingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var resilience = configuration.GetSection(ResilienceSectionName);
        services.AddHttpClient(EmbeddingGeneratorFactory.OpenAIHttpClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .RedactLoggedHeaders(["Authorization"])
            .AddStandardResilienceHandler()
            .Configure(options => Configure(options, resilience));
        services.TryAddTransient<CohereAuthHandler>();
        services.AddHttpClient(EmbeddingGeneratorFactory.CohereHttpClientName)
            .ConfigureHttpClient(http => http.Timeout = Timeout.InfiniteTimeSpan)
            .AddHttpMessageHandler<CohereAuthHandler>()
            .RedactLoggedHeaders(["Authorization"])
            .AddStandardResilienceHandler()
            .Configure(options => Configure(options, resilience));

        services.TryAddSingleton<EmbeddingGeneratorFactory>();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(static sp =>
        {
            // Reading the options runs the validation first, so a bad provider fails here as it does at start.
            _ = sp.GetRequiredService<IOptions<EmbeddingsOptions>>().Value;
            return sp.GetRequiredService<EmbeddingGeneratorFactory>().CreateConfigured();
        });
        services.AddHostedService<EmbeddingWarmUp>();
        return services;
    }

    // An embedding request of a few hundred texts may take longer than the standard 10 s attempt timeout. The section
    // (which may be absent) overrides these and anything else of HttpStandardResilienceOptions.
    private static void Configure(HttpStandardResilienceOptions options, IConfigurationSection resilience)
    {
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(2);
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(1);
        resilience.Bind(options);
    }
}
