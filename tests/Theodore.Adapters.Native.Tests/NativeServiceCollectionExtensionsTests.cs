using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Theodore.Core.Domain;

namespace Theodore.Adapters.Native.Tests;

public sealed class NativeServiceCollectionExtensionsTests
{
    [Fact]
    public async Task AddNativeVectorStorage_binds_the_section_and_registers_one_instance()
    {
        // The storage is disposed asynchronously only, as the host disposes it.
        await using var provider = Build([new("VectorStorage:Native:DefaultEf", "128"), new("VectorStorage:Native:ExactFilterThreshold", "10")]);

        var storage = provider.GetRequiredService<NativeVectorStorage>();
        var options = provider.GetRequiredService<IOptions<NativeOptions>>().Value;

        Assert.Same(storage, provider.GetRequiredService<NativeVectorStorage>());
        Assert.Equal(128, options.DefaultEf);
        Assert.Equal(10, options.ExactFilterThreshold);
        Assert.Equal(16, options.DefaultM);
    }

    [Theory]
    [InlineData("VectorStorage:Native:DefaultM", "1")]
    [InlineData("VectorStorage:Native:DefaultEfConstruction", "5000")]
    [InlineData("VectorStorage:Native:DefaultEf", "0")]
    [InlineData("VectorStorage:Native:CompactionThreshold", "1.5")]
    [InlineData("VectorStorage:Native:ExactFilterThreshold", "-1")]
    [InlineData("VectorStorage:Native:BatchedIntervalMs", "0")]
    [InlineData("VectorStorage:Native:SnapshotWalBytes", "1024")]
    public void AddNativeVectorStorage_out_of_range_option_fails_start_up_validation(string key, string value)
    {
        using var provider = Build([new(key, value)]);

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(key.Split(':')[^1], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddNativeVectorStorage_uses_a_registered_time_provider()
    {
        var clock = new ManualClock(new DateTimeOffset(2031, 2, 3, 4, 5, 6, TimeSpan.Zero));
        await using var provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection([new("VectorStorage:Native:Durability", "None")]).Build())
            .AddSingleton<TimeProvider>(clock)
            .AddNativeVectorStorage()
            .BuildServiceProvider();

        var info = await provider.GetRequiredService<NativeVectorStorage>().CreateIndexAsync(new IndexDefinition(IndexName.Parse("x"), 2, DistanceMetric.Cosine));

        Assert.Equal(clock.Now, info.CreatedAt);
    }

    private static ServiceProvider Build(KeyValuePair<string, string?>[] settings) =>
        new ServiceCollection()
            .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection([new("VectorStorage:Native:Durability", "None"), .. settings]).Build())
            .AddNativeVectorStorage()
            .BuildServiceProvider();
}
