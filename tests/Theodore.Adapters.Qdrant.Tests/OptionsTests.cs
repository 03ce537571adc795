using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Theodore.Adapters.Qdrant.Tests;

public sealed class OptionsTests
{
    [Fact]
    public async Task AddQdrantVectorStorage_binds_the_section_and_registers_one_adapter()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["VectorStorage:Qdrant:Endpoint"] = "http://127.0.0.1:6334",
            ["VectorStorage:Qdrant:ApiKey"] = "k",
            ["VectorStorage:Qdrant:Timeout"] = "00:00:05",
            ["VectorStorage:Qdrant:ShardNumber"] = "3",
            ["VectorStorage:Qdrant:ReplicationFactor"] = "2",
            ["VectorStorage:Qdrant:WriteConsistencyFactor"] = "2",
            ["VectorStorage:Qdrant:MaxParallelUpserts"] = "3",
        }).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddQdrantVectorStorage();
        await using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IOptions<QdrantOptions>>().Value;
        var storage = provider.GetRequiredService<QdrantVectorStorage>();

        Assert.Equal(("http://127.0.0.1:6334", TimeSpan.FromSeconds(5), 3, 2, 2, 3), (options.Endpoint, options.Timeout, options.ShardNumber, options.ReplicationFactor, options.WriteConsistencyFactor, options.MaxParallelUpserts));
        Assert.Same(storage, provider.GetRequiredService<QdrantVectorStorage>());
        Assert.Same(storage, storage.GetService(typeof(Core.Ports.IBatchVectorStorage)));
        Assert.Same(storage, storage.GetService(typeof(Core.Ports.IStreamingVectorStorage)));
    }

    [Theory]
    [InlineData(null, null, Core.Domain.ConsistencyLevel.Strong)]
    [InlineData(2, 2, Core.Domain.ConsistencyLevel.Strong)]
    [InlineData(2, null, Core.Domain.ConsistencyLevel.Eventual)]
    [InlineData(3, 2, Core.Domain.ConsistencyLevel.Eventual)]
    public async Task Consistency_is_strong_only_when_every_replica_acknowledges_writes(int? replication, int? writeConsistency, Core.Domain.ConsistencyLevel expected)
    {
        await using var storage = new QdrantVectorStorage(new QdrantOptions { ReplicationFactor = replication, WriteConsistencyFactor = writeConsistency });

        Assert.Equal(expected, storage.Capabilities.Consistency);
    }

    [Theory]
    [InlineData("Endpoint", "localhost:6334")]
    [InlineData("Endpoint", "ftp://qdrant:6334")]
    [InlineData("Endpoint", "")]
    [InlineData("Timeout", "00:00:00")]
    [InlineData("ShardNumber", "0")]
    [InlineData("WriteConsistencyFactor", "3")]
    [InlineData("MaxBatchRecords", "0")]
    [InlineData("MaxParallelUpserts", "0")]
    public void Invalid_settings_fail_validation_naming_the_setting(string key, string value)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["VectorStorage:Qdrant:ReplicationFactor"] = "2",
            [$"VectorStorage:Qdrant:{key}"] = value,
        }).Build();
        using var provider = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddQdrantVectorStorage().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<QdrantOptions>>().Value);

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
