using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using NSubstitute;
using Theodore.Core.Ports;

namespace Theodore.Infrastructure.Tests;

public sealed class ProviderSelectionTests
{
    [Theory]
    [InlineData("Alpha", "alpha")]
    [InlineData("beta", "beta")]
    [InlineData(null, "native")]
    [InlineData("mock", "mock")]
    public void AddTheodoreVectorStorage_registers_only_the_configured_provider(string? configured, string expected)
    {
        var registered = new List<string>();
        var services = new ServiceCollection();
        services.AddTheodoreVectorStorage(Configuration(configured), providers => providers
            .Add("Alpha", _ => registered.Add("alpha"), _ => Storage("alpha"))
            .Add("Beta", _ => registered.Add("beta"), _ => Storage("beta"))
            .Add("Mock", _ => registered.Add("mock"), _ => Storage("mock"))
            .Add("Native", _ => registered.Add("native"), _ => Storage("native")));

        using var provider = services.BuildServiceProvider();
        var storage = provider.GetRequiredService<IVectorStorage>();

        Assert.Equal([expected], registered);
        Assert.Equal(expected, storage.Capabilities.SystemName);
    }

    [Fact]
    public void AddTheodoreVectorStorage_with_unknown_provider_names_the_known_ones()
    {
        var services = new ServiceCollection();

        var error = Assert.Throws<InvalidOperationException>(() => services.AddTheodoreVectorStorage(Configuration("Qdrnt"), providers => providers
            .Add("Mock", _ => { }, _ => Storage("mock"))
            .Add("Qdrant", _ => { }, _ => Storage("qdrant"))));

        Assert.Contains("'Qdrnt'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mock, Qdrant", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddTheodoreVectorStorage_applies_the_decorators()
    {
        var services = new ServiceCollection();
        var decorated = Substitute.For<IVectorStorage>();
        services.AddTheodoreVectorStorage(Configuration("Mock"), p => p.Add("Mock", _ => { }, _ => Storage("mock")), b => b.Use(_ => decorated));

        using var provider = services.BuildServiceProvider();

        Assert.Same(decorated, provider.GetRequiredService<IVectorStorage>());
    }

    private static IConfiguration Configuration(string? providerName) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(StringComparer.Ordinal) { ["VectorStorage:Provider"] = providerName }).Build();

    private static IVectorStorage Storage(string systemName)
    {
        var storage = Substitute.For<IVectorStorage>();
        storage.Capabilities.Returns(new StorageCapabilities { SystemName = systemName });
        return storage;
    }
}
