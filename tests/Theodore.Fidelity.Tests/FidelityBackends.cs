using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Theodore.Adapters.Mock;
using Theodore.Adapters.Native;
using Theodore.Adapters.Pinecone;
using Theodore.Adapters.Qdrant;
using Theodore.Core.Ports;
using Theodore.Pinecone.Fake;
using Theodore.Qdrant.Fake;

namespace Theodore.Fidelity.Tests;

/// <summary>Every backend compared with the exact Mock, the reference; the remote ones through their protocol fakes.</summary>
public static class FidelityBackends
{
    public static FidelityBackend Reference { get; } = new("Mock", () => Task.FromResult<IVectorStorage>(new MockVectorStorage()));

    public static IReadOnlyList<FidelityBackend> Compared { get; } =
    [
        new("Native", () => Task.FromResult<IVectorStorage>(new NativeVectorStorage())),
        new("Qdrant", StartQdrantAsync, ReleaseAsync),
        new("Pinecone", StartPineconeAsync, ReleaseAsync),
    ];

    public static FidelityBackend Get(string name) =>
        Compared.Single(b => string.Equals(b.Name, name, StringComparison.Ordinal));

    private static async Task<IVectorStorage> StartQdrantAsync()
    {
        var fake = await QdrantFake.StartAsync();
        return new RemoteStorage(new QdrantVectorStorage(new QdrantOptions { Endpoint = fake.Endpoint.ToString() }), fake);
    }

    private static async Task<IVectorStorage> StartPineconeAsync()
    {
        var fake = await PineconeFake.StartAsync();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddLogging()
            .AddPineconeVectorStorage(o =>
            {
                o.ApiKey = fake.ApiKey;
                o.ControlPlaneEndpoint = fake.ControlPlaneEndpoint.ToString();
                o.IndexReadyPollInterval = TimeSpan.FromMilliseconds(20);
            })
            .BuildServiceProvider();
        return new RemoteStorage(services.GetRequiredService<PineconeVectorStorage>(), services, fake);
    }

    private static async ValueTask ReleaseAsync(IVectorStorage storage) => await ((RemoteStorage)storage).DisposeAsync();

    /// <summary>An adapter with what it needs to run (its fake, its service provider), released together.</summary>
    private sealed class RemoteStorage(IVectorStorage adapter, params IAsyncDisposable[] owned) : DelegatingVectorStorage(adapter), IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (Inner is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }

            foreach (var resource in owned)
            {
                await resource.DisposeAsync();
            }
        }
    }
}
