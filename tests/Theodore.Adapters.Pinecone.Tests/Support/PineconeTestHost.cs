using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Theodore.Pinecone.Fake;

namespace Theodore.Adapters.Pinecone.Tests.Support;

/// <summary>An adapter wired as the API wires it (DI, IHttpClientFactory, resilience handler), and what owns it.</summary>
internal sealed class PineconeTestHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private PineconeTestHost(ServiceProvider provider)
    {
        _provider = provider;
        Storage = provider.GetRequiredService<PineconeVectorStorage>();
    }

    public PineconeVectorStorage Storage { get; }

    public static PineconeTestHost For(PineconeFake fake, Action<PineconeOptions>? tweak = null) =>
        Create(options =>
        {
            options.ApiKey = fake.ApiKey;
            options.ControlPlaneEndpoint = fake.ControlPlaneEndpoint.ToString();
            options.IndexReadyPollInterval = TimeSpan.FromMilliseconds(20);
            options.RequestTimeout = TimeSpan.FromSeconds(30);
            tweak?.Invoke(options);
        });

    public static PineconeTestHost Create(Action<PineconeOptions> configure, IDictionary<string, string?>? settings = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(settings ?? new Dictionary<string, string?>(StringComparer.Ordinal)).Build());
        services.AddLogging();
        services.AddPineconeVectorStorage(configure);
        return new PineconeTestHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
    }

    public async ValueTask DisposeAsync()
    {
        await Storage.DisposeAsync();
        await _provider.DisposeAsync();
    }
}

/// <summary>One fake for the whole test run (indexes are uniquely named, so suites share it in parallel).</summary>
internal static class SharedFake
{
    private static readonly Lazy<Task<PineconeFake>> Instance = new(() => PineconeFake.StartAsync());

    public static PineconeFake Get() => Instance.Value.GetAwaiter().GetResult();
}
