using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Theodore.Api.Tests.Operations;

/// <summary>
/// The API on one provider (the Mock, or the default engine durable in a temporary directory) with a fake clock every
/// layer reads (the use cases, the adapter's expiry, the maintenance service), the background sweep off unless asked.
/// </summary>
public sealed class OperationsApiHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly string _dataPath = Path.Combine(Path.GetTempPath(), "theodore-api-ops-" + Guid.NewGuid().ToString("N"));
    private readonly TheodoreApiFactory _factory;
    private readonly WebApplicationFactory<Program> _host;

    public OperationsApiHost(string provider, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["VectorStorage:Provider"] = provider,
            ["VectorStorage:Native:DataPath"] = _dataPath,
            ["Maintenance:SweepEnabled"] = "false",
        };
        foreach (var (key, value) in settings ?? [])
        {
            all[key] = value;
        }

        _factory = new TheodoreApiFactory(all);
        _host = _factory.WithWebHostBuilder(b => b.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Time);
        }));
        Client = _host.CreateClient();
    }

    public FakeTimeProvider Time { get; } = new(Start);

    public HttpClient Client { get; }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        await _factory.DisposeAsync();
        if (Directory.Exists(_dataPath))
        {
            Directory.Delete(_dataPath, recursive: true);
        }
    }
}
