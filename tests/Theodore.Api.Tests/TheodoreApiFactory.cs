using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Theodore.Core.Ports;

namespace Theodore.Api.Tests;

/// <summary>
/// The API in process on the Mock provider, rate limiting and the embedding warm-up off unless a test turns them on. Pass settings to
/// override configuration (keys as in appsettings, e.g. "Api:Keys:0:Key"). Disposing it, or a factory derived from it, returns only
/// once the host's services are disposed (<see cref="HostDisposalWitness"/>), so a test may start another host on the same data
/// directory right after.
/// </summary>
public sealed class TheodoreApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase);

    public TheodoreApiFactory()
        : this([])
    {
    }

    public TheodoreApiFactory(IEnumerable<KeyValuePair<string, string?>> settings)
        : this(settings, testDefaults: true)
    {
    }

    private TheodoreApiFactory(IEnumerable<KeyValuePair<string, string?>> settings, bool testDefaults)
    {
        if (testDefaults)
        {
            _settings["VectorStorage:Provider"] = "Mock";
            _settings["Api:RateLimit:Enabled"] = "false";
            // the model loads on first use instead of at start: most hosts here never embed anything
            _settings["Embeddings:Local:WarmUp"] = "false";
        }

        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    /// <summary>The host as a new user starts it (the shipped configuration: the native engine, rate limiting, the model's
    /// warm-up), with only the data directory moved to <paramref name="dataPath"/>.</summary>
    public static TheodoreApiFactory AsShipped(string dataPath) =>
        new([new("VectorStorage:Native:DataPath", dataPath)], testDefaults: false);

    /// <summary>The same host with <paramref name="storage"/> as the port, for faults the real backends cannot be made to show.</summary>
    public WebApplicationFactory<Program> WithStorage(IVectorStorage storage) =>
        WithWebHostBuilder(b => b.ConfigureServices(services =>
        {
            services.RemoveAll<IVectorStorage>();
            services.AddSingleton(storage);
        }));

    // Derived factories (WithWebHostBuilder) create their hosts through this method too.
    protected override IHost CreateHost(IHostBuilder builder)
    {
        var witness = new HostDisposalWitness();
        builder.ConfigureServices(services => services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(_ => witness.Created())));
        return new HostDisposalWitness.Host(base.CreateHost(builder), witness);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
