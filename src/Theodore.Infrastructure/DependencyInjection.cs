using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Composition;
using Theodore.Infrastructure.Providers;

namespace Theodore.Infrastructure;

public static class DependencyInjection
{
    /// <summary>
    /// Registers <see cref="IVectorStorage"/> (and its optional ports) from the provider named by
    /// <c>VectorStorage:Provider</c>, wrapped by the decorators <paramref name="decorate"/> adds.
    /// </summary>
    public static IServiceCollection AddTheodoreVectorStorage(
        this IServiceCollection services,
        IConfiguration configuration,
        Action<VectorStorageProviders> addProviders,
        Action<VectorStorageBuilder>? decorate = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(addProviders);

        var providers = new VectorStorageProviders();
        addProviders(providers);

        var name = configuration.GetSection(VectorStorageOptions.SectionName)[nameof(VectorStorageOptions.Provider)];
        var provider = providers.Get(string.IsNullOrWhiteSpace(name) ? VectorStorageProviders.DefaultProvider : name);
        provider.Register(services);

        services.AddOptions<VectorStorageOptions>()
            .BindConfiguration(VectorStorageOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        services.AddSingleton(sp =>
        {
            var builder = new VectorStorageBuilder(provider.Resolve);
            decorate?.Invoke(builder);
            return builder.Build(sp);
        });
        services.AddSingleton(sp => sp.GetRequiredService<IVectorStorage>().GetRequiredService<IBatchVectorStorage>());
        services.AddSingleton(sp => sp.GetRequiredService<IVectorStorage>().GetRequiredService<IStreamingVectorStorage>());
        return services;
    }
}
