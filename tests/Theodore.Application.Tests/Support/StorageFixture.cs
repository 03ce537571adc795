using NSubstitute;
using Theodore.Core.Domain;
using Theodore.Core.Ports;

namespace Theodore.Application.Tests.Support;

/// <summary>A substitute storage, optionally with the batch and streaming ports, and an index description.</summary>
internal sealed class StorageFixture
{
    public StorageFixture(bool batch = false, bool streaming = false)
    {
        Storage.Capabilities.Returns(new StorageCapabilities { SystemName = "test" });
        if (batch)
        {
            Storage.GetService(typeof(IBatchVectorStorage), Arg.Any<object?>()).Returns(Batch);
        }

        if (streaming)
        {
            Storage.GetService(typeof(IStreamingVectorStorage), Arg.Any<object?>()).Returns(Streaming);
        }
    }

    public IVectorStorage Storage { get; } = Substitute.For<IVectorStorage>();

    public IBatchVectorStorage Batch { get; } = Substitute.For<IBatchVectorStorage>();

    public IStreamingVectorStorage Streaming { get; } = Substitute.For<IStreamingVectorStorage>();

    public static IndexName Companies { get; } = IndexName.Parse("companies");

    public static IndexInfo Info(int dimension = 3, DistanceMetric metric = DistanceMetric.Cosine, EmbeddingContract? embedding = null) =>
        new(new IndexDefinition(Companies, dimension, metric, embedding), 0, null, null);

    public StorageFixture WithIndex(int dimension = 3, DistanceMetric metric = DistanceMetric.Cosine, EmbeddingContract? embedding = null)
    {
        Storage.DescribeIndexAsync(Companies, Arg.Any<CancellationToken>()).Returns(Info(dimension, metric, embedding));
        return this;
    }

    /// <summary>True when no call that writes reached the storage or its batch port.</summary>
    public async Task AssertNothingWrittenAsync()
    {
        await Storage.DidNotReceiveWithAnyArgs().UpsertAsync(default!, default!, default, default);
        await Storage.DidNotReceiveWithAnyArgs().DeleteAsync(default!, default!, default, default);
        await Storage.DidNotReceiveWithAnyArgs().CreateIndexAsync(default!, default);
        await Storage.DidNotReceiveWithAnyArgs().DeleteIndexAsync(default!, default);
        await Batch.DidNotReceiveWithAnyArgs().UpsertManyAsync(default!, default!, default, default, default, default);
        await Batch.DidNotReceiveWithAnyArgs().DeleteManyAsync(default!, default!, default, default);
        await Batch.DidNotReceiveWithAnyArgs().DeleteByFilterAsync(default!, default!, default, default);
        await Batch.DidNotReceiveWithAnyArgs().DeleteAllAsync(default!, default, default);
    }
}
