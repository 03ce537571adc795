using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Theodore.Core.Ports;

namespace Theodore.Api.Tests;

/// <summary>
/// The API in process on the Mock provider, rate limiting and the embedding warm-up off unless a test turns them on. Pass settings to
/// override configuration (keys as in appsettings, e.g. "Api:Keys:0:Key").
/// </summary>
public sealed class TheodoreApiFactory : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["VectorStorage:Provider"] = "Mock",
        ["Api:RateLimit:Enabled"] = "false",
        // the model loads on first use instead of at start: most hosts here never embed anything
        ["Embeddings:Local:WarmUp"] = "false",
    };

    public TheodoreApiFactory()
    {
    }

    public TheodoreApiFactory(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        foreach (var (key, value) in settings)
        {
            _settings[key] = value;
        }
    }

    /// <summary>The same host with <paramref name="storage"/> as the port, for faults the real backends cannot be made to show.</summary>
    public WebApplicationFactory<Program> WithStorage(IVectorStorage storage) =>
        WithWebHostBuilder(b => b.ConfigureServices(services =>
        {
            services.RemoveAll<IVectorStorage>();
            services.AddSingleton(storage);
        }));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
