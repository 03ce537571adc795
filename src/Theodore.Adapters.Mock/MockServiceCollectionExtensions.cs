using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Theodore.Adapters.Mock;

public static class MockServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MockVectorStorage"/> as a singleton with <see cref="MockOptions"/> bound from
    /// <see cref="MockOptions.SectionName"/> and validated on start. Exposing it as the port is the provider selection's job.
    /// </summary>
    public static IServiceCollection AddMockVectorStorage(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<MockOptions>()
            .BindConfiguration(MockOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new MockVectorStorage(
            sp.GetRequiredService<IOptions<MockOptions>>(),
            sp.GetService<TimeProvider>()));
        return services;
    }
}
