using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Theodore.Adapters.Native;

namespace Theodore.Api.Tests.Hosting;

/// <summary>
/// A disposed host leaves nothing reachable: no timer, thread or static registration keeps its service provider (and
/// with it the storage, the telemetry providers and the embedding model) alive. The API test suite builds hundreds of
/// hosts in one process; when ASP.NET Core's rate-limiting middleware kept each of them alive, it ran out of memory.
/// </summary>
public sealed class HostDisposalTests : IDisposable
{
    private readonly string _dataPath = Directory.CreateTempSubdirectory("theodore-dispose-").FullName;

    public void Dispose() => Directory.Delete(_dataPath, recursive: true);

    [Theory]
    [InlineData("Mock", "false")]
    [InlineData("Mock", "true")]
    [InlineData("Native", "true")]
    public async Task A_disposed_host_is_collected(string provider, string rateLimited)
    {
        var settings = new Dictionary<string, string?>
        {
            ["VectorStorage:Provider"] = provider,
            ["VectorStorage:Native:DataPath"] = _dataPath,
            ["Api:RateLimit:Enabled"] = rateLimited,
        };

        var hosts = new List<WeakReference>();
        for (var i = 0; i < 3; i++)
        {
            hosts.Add(await UseAndDisposeAsync(settings, $"disposal-{i}"));
        }

        for (var attempt = 0; attempt < 20 && hosts.Any(h => h.IsAlive); attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            await Task.Delay(50);
        }

        Assert.Equal(0, hosts.Count(h => h.IsAlive));
    }

    /// <summary>
    /// WebApplicationFactory's Dispose used to return while the app's own <c>Main</c> was still disposing the host's
    /// services (see <see cref="HostDisposalWitness"/>): with a singleton whose disposal takes 300 ms, 4 of 10 disposals
    /// returned before it had run. Now each disposal returns after it, and the data directory is free again.
    /// </summary>
    [Fact]
    public async Task Disposing_a_factory_returns_after_its_services_are_disposed_and_the_data_directory_is_free()
    {
        using var root = new TheodoreApiFactory(new Dictionary<string, string?> { ["VectorStorage:Provider"] = "Native", ["VectorStorage:Native:DataPath"] = _dataPath });
        for (var i = 0; i < 5; i++)
        {
            var slow = new SlowDisposal();
            var factory = root.WithWebHostBuilder(b => b.ConfigureServices(services =>
            {
                services.AddSingleton(_ => slow);
                services.AddHostedService(sp => new Holds(sp.GetRequiredService<SlowDisposal>()));
            }));
            using (var client = factory.CreateClient())
            {
                Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/indexes", new { name = $"restart-{i}", dimension = 2, metric = "cosine" })).StatusCode);
            }

            factory.Dispose();

            Assert.True(slow.Done, $"disposal {i} returned before the host's services were disposed");
            await using var again = await NativeVectorStorage.OpenAsync(new NativeOptions { DataPath = _dataPath });
        }
    }

    private sealed class SlowDisposal : IAsyncDisposable
    {
        public bool Done { get; private set; }

        public async ValueTask DisposeAsync()
        {
            await Task.Delay(300);
            Done = true;
        }
    }

    private sealed class Holds(SlowDisposal held) : IHostedService
    {
        public SlowDisposal Held { get; } = held;

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Builds a host, serves a write and a query, disposes it; only a weak reference to its services escapes.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<WeakReference> UseAndDisposeAsync(Dictionary<string, string?> settings, string index)
    {
        await using var factory = new TheodoreApiFactory(settings);
        using var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsJsonAsync("/v1/indexes", new { name = index, dimension = 2, metric = "cosine" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/v1/indexes/{index}/vectors/upsert", new { vectors = new object[] { new { id = "a", values = new[] { 1f, 0f } } } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/v1/indexes/{index}/query", new { vector = new[] { 1f, 0f }, topK = 1 })).StatusCode);
        return new WeakReference(factory.Services.GetRequiredService<IServiceProvider>());
    }
}
