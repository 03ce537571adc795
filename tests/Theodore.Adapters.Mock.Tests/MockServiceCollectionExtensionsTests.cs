using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Theodore.Core.Domain;
using Theodore.Core.Errors;

namespace Theodore.Adapters.Mock.Tests;

public sealed class MockServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddMockVectorStorage_binds_the_section_and_registers_one_instance()
    {
        using var provider = Build([new("VectorStorage:Mock:ErrorRate", "1"), new("VectorStorage:Mock:Seed", "3"), new("VectorStorage:Mock:LatencyMs", "0")]);

        var storage = provider.GetRequiredService<MockVectorStorage>();
        var options = provider.GetRequiredService<IOptions<MockOptions>>().Value;

        Assert.Same(storage, provider.GetRequiredService<MockVectorStorage>());
        Assert.Equal(1, options.ErrorRate);
        Assert.Equal(3, options.Seed);
        await Assert.ThrowsAsync<StorageUnavailableException>(async () => await storage.ListIndexesAsync());
    }

    [Fact]
    public void AddMockVectorStorage_without_configuration_uses_the_defaults()
    {
        using var provider = Build([]);

        var options = provider.GetRequiredService<IOptions<MockOptions>>().Value;

        Assert.Equal(0, options.LatencyMs);
        Assert.Equal(0, options.ErrorRate);
        Assert.Equal(42, options.Seed);
    }

    [Theory]
    [InlineData("VectorStorage:Mock:ErrorRate", "2")]
    [InlineData("VectorStorage:Mock:ErrorRate", "-0.1")]
    [InlineData("VectorStorage:Mock:LatencyMs", "-5")]
    public void AddMockVectorStorage_out_of_range_option_fails_start_up_validation(string key, string value)
    {
        using var provider = Build([new(key, value)]);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddMockVectorStorage_uses_a_registered_time_provider()
    {
        var clock = new ManualClock(new DateTimeOffset(2030, 5, 6, 7, 8, 9, TimeSpan.Zero));
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().Build())
            .AddSingleton<TimeProvider>(clock)
            .AddMockVectorStorage();
        using var provider = services.BuildServiceProvider();
        var storage = provider.GetRequiredService<MockVectorStorage>();

        var info = await storage.CreateIndexAsync(new IndexDefinition(IndexName.Parse("x"), 2, DistanceMetric.Cosine));

        Assert.Equal(clock.Now, info.CreatedAt);
    }

    private static ServiceProvider Build(KeyValuePair<string, string?>[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddMockVectorStorage()
            .BuildServiceProvider();
    }
}
