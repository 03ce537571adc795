using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Theodore.Adapters.Native;

public static class NativeServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="NativeVectorStorage"/> as a singleton with <see cref="NativeOptions"/> bound from
    /// <see cref="NativeOptions.SectionName"/> and validated on start. Exposing it as the port is the provider selection's job.
    /// </summary>
    public static IServiceCollection AddNativeVectorStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<NativeOptions>()
            .BindConfiguration(NativeOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new NativeVectorStorage(
            sp.GetRequiredService<IOptions<NativeOptions>>(),
            sp.GetService<TimeProvider>()));
        return services;
    }
}
