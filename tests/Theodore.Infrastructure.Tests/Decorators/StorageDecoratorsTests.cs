using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Theodore.Adapters.Mock;
using Theodore.Core.Ports;
using Theodore.Infrastructure.Decorators;
using Theodore.Infrastructure.Decorators.Caching;
using Theodore.Infrastructure.Decorators.Concurrency;
using Theodore.Infrastructure.Decorators.Resilience;
using Theodore.Infrastructure.Decorators.Telemetry;

namespace Theodore.Infrastructure.Tests.Decorators;

public sealed class StorageDecoratorsTests
{
    [Fact]
    public async Task Every_decorator_on_composes_in_adr_0003_order_and_GetService_reaches_every_port()
    {
        await using var services = Build("Mock", new(StringComparer.Ordinal)
        {
            ["VectorStorage:Decorators:Telemetry:Enabled"] = "true",
            ["VectorStorage:Decorators:ConcurrencyLimit:Enabled"] = "true",
            ["VectorStorage:Decorators:Caching:Enabled"] = "true",
            ["VectorStorage:Decorators:Resilience:Enabled"] = "true",
        });

        var storage = services.GetRequiredService<IVectorStorage>();

        Assert.IsType<TelemetryVectorStorage>(storage);
        Assert.Equal(
            [typeof(TelemetryVectorStorage), typeof(ConcurrencyLimitVectorStorage), typeof(CachingVectorStorage), typeof(ResilienceVectorStorage), typeof(MockVectorStorage)],
            Layers(storage));
        Assert.NotNull(storage.GetService<ICacheableVectorStorage>());
        Assert.NotNull(storage.GetService<ResilienceVectorStorage>());
        Assert.Same(services.GetRequiredService<MockVectorStorage>(), storage.GetService<MockVectorStorage>());
        Assert.NotNull(services.GetRequiredService<IBatchVectorStorage>());
        Assert.NotNull(services.GetRequiredService<IStreamingVectorStorage>());
        Assert.Null(storage.GetService<IBackupStorage>());
    }

    [Theory]
    [InlineData("Native", new[] { "Telemetry" })]
    [InlineData("Mock", new[] { "Telemetry" })]
    [InlineData("Qdrant", new[] { "Telemetry", "ConcurrencyLimit", "Resilience" })]
    [InlineData("Pinecone", new[] { "Telemetry", "ConcurrencyLimit", "Resilience" })]
    public async Task Defaults_per_provider_when_no_section_says(string provider, string[] expected)
    {
        await using var services = Build(provider, new(StringComparer.Ordinal));

        var names = Layers(services.GetRequiredService<IVectorStorage>()).SkipLast(1).Select(t => t.Name.Replace("VectorStorage", string.Empty, StringComparison.Ordinal));

        Assert.Equal(string.Join(",", expected), string.Join(",", names));
    }

    [Fact]
    public async Task Enabled_false_switches_a_default_decorator_off()
    {
        await using var services = Build("Qdrant", new(StringComparer.Ordinal) { ["VectorStorage:Decorators:Resilience:Enabled"] = "false", ["VectorStorage:Decorators:Telemetry:Enabled"] = "false" });

        Assert.Equal([typeof(ConcurrencyLimitVectorStorage), typeof(MockVectorStorage)], Layers(services.GetRequiredService<IVectorStorage>()));
    }

    private static ServiceProvider Build(string provider, Dictionary<string, string?> settings)
    {
        settings["VectorStorage:Provider"] = provider;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        // every provider name is served by the mock here: the decorators are under test, not the adapters
        services.AddTheodoreVectorStorage(
            configuration,
            providers =>
            {
                foreach (var name in new[] { "Native", "Mock", "Qdrant", "Pinecone" })
                {
                    providers.Add<MockVectorStorage>(name, static s => s.AddMockVectorStorage());
                }
            },
            static b => b.UseTheodoreDecorators());
        services.AddTheodoreDecorators();
        return services.BuildServiceProvider();
    }

    private static List<Type> Layers(IVectorStorage storage)
    {
        var layers = new List<Type>();
        for (object? layer = storage; layer is not null;)
        {
            layers.Add(layer.GetType());
            layer = layer is DelegatingVectorStorage
                ? typeof(DelegatingVectorStorage).GetProperty("Inner", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)!.GetValue(layer)
                : null;
        }

        return layers;
    }
}
