using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Theodore.Adapters.Embeddings;

public static class EmbeddingsServiceCollectionExtensions
{
    /// <summary>
    /// The generator <c>Embeddings:Provider</c> names (<c>Local</c> by default) as the single
    /// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, checked at start, plus the warm-up that loads it before
    /// the first request. An unknown provider fails at start naming the known ones.
    /// </summary>
    public static IServiceCollection AddTheodoreEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<EmbeddingsOptions>()
            .Bind(configuration.GetSection(EmbeddingsOptions.SectionName))
            .Validate(o => EmbeddingProviders.IsKnown(o.Provider), "Embeddings:Provider is not a known embedding provider; use one of: " + string.Join(", ", EmbeddingProviders.Known) + ".")
            .ValidateOnStart();
        services.AddOptions<LocalEmbeddingOptions>()
            .Bind(configuration.GetSection(LocalEmbeddingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton<EmbeddingGeneratorFactory>();
        services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(static sp =>
        {
            var provider = sp.GetRequiredService<IOptions<EmbeddingsOptions>>().Value.Provider;
            return provider switch
            {
                _ when string.Equals(provider, EmbeddingProviders.Local, StringComparison.OrdinalIgnoreCase) =>
                    LocalEmbeddingGenerator.CreateMiniLm(sp.GetRequiredService<IOptions<LocalEmbeddingOptions>>().Value),
                _ => throw new OptionsValidationException(EmbeddingsOptions.SectionName, typeof(EmbeddingsOptions), [EmbeddingProviders.UnknownMessage(provider)]),
            };
        });
        services.AddHostedService<EmbeddingWarmUp>();
        return services;
    }
}
