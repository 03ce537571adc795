using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Theodore.Adapters.Qdrant;

public static class QdrantServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="QdrantVectorStorage"/> as a singleton with <see cref="QdrantOptions"/> bound from
    /// <see cref="QdrantOptions.SectionName"/> and validated on start. Exposing it as the port is the provider selection's job.
    /// </summary>
    public static IServiceCollection AddQdrantVectorStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<QdrantOptions>()
            .BindConfiguration(QdrantOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<QdrantOptions>, QdrantOptionsValidator>());
        services.AddSingleton(sp => new QdrantVectorStorage(sp.GetRequiredService<IOptions<QdrantOptions>>(), sp.GetService<TimeProvider>()));
        return services;
    }
}
