using Microsoft.Extensions.DependencyInjection;
using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Providers;

/// <summary>
/// The providers the composition root offers. Infrastructure never references adapters; the API (the one
/// composition root) adds them here, and only the configured one registers its services.
/// </summary>
public sealed class VectorStorageProviders
{
    public const string DefaultProvider = "Native";

    private readonly Dictionary<string, VectorStorageProvider> _providers = new(StringComparer.OrdinalIgnoreCase);

    public IReadOnlyCollection<string> Names => _providers.Keys;

    public VectorStorageProviders Add(string name, Action<IServiceCollection> register, Func<IServiceProvider, IVectorStorage> resolve)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!_providers.TryAdd(name, new VectorStorageProvider(name, register, resolve)))
        {
            throw new ArgumentException($"A vector storage provider named '{name}' is already registered.", nameof(name));
        }

        return this;
    }

    public VectorStorageProviders Add<TStorage>(string name, Action<IServiceCollection> register)
        where TStorage : class, IVectorStorage =>
        Add(name, register, static sp => sp.GetRequiredService<TStorage>());

    public VectorStorageProvider Get(string name) =>
        _providers.TryGetValue(name, out var provider)
            ? provider
            : throw new InvalidOperationException(
                $"VectorStorage:Provider is '{name}', which is not a known provider. Known providers: {string.Join(", ", _providers.Keys.Order(StringComparer.Ordinal))}.");
}
